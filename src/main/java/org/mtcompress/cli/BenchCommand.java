package org.mtcompress.cli;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.TrainRun;
import org.mtcompress.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/** {@code mtc bench}: throughput benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print a table.",
        subcommands = {BenchCommand.Train.class, BenchCompressCommand.class, BenchEmbeddingCommand.class,
                BenchBleuCommand.class},
        footer = {"", "Examples:", "  ./mtc bench train --sizes tiny,small", "  ./mtc bench compress --n 10000000 --reps 5",
                "  ./mtc bench embedding --seconds 3"})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * Training throughput in target tokens per second on random ids, the same shape as the PyTorch peer in
     * {@code ../shared/bench} (batch 64 x 32, vocabulary 8000, no padding), full steps (forward, backward,
     * clipping, Adam).
     */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Training steps per second and target tokens per second (batch x length target tokens "
                    + "per step) for the tiny and small shapes, with CPU seconds per step (and the throughput they "
                    + "imply on idle cores, for shared machines) and peak memory.",
            footer = {"", "Examples:", "  ./mtc bench train --sizes tiny,small --steps 5",
                    "  ./mtc bench train --peer ../shared/bench/torch_transformer_train.py --python /usr/bin/python3 "
                            + "--out results/bench/train.md"})
    public static final class Train implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "tiny,small", description = "tiny, small, base")
        List<String> sizes;
        @Option(names = "--batch", defaultValue = "64") int batch;
        @Option(names = "--length", defaultValue = "32") int length;
        @Option(names = "--vocab", defaultValue = "8000") int vocab;
        @Option(names = "--steps", defaultValue = "5", description = "timed steps (after 2 warm-up steps)") int steps;
        @Option(names = "--dropout", defaultValue = "0.1") double dropout;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Option(names = "--peer", paramLabel = "SCRIPT", description = "also run this PyTorch peer (../shared/bench/"
                + "torch_transformer_train.py) on the same shape, threads and environment, and print the ratio")
        Path peer;
        @Option(names = "--python", defaultValue = "python3", description = "the Python that runs --peer (default: ${DEFAULT-VALUE})")
        String python;
        @Option(names = "--out", paramLabel = "FILE", description = "also write the table and how it was made (commit, "
                + "machine, environment) to this markdown file")
        Path out;

        @Override
        public Integer call() {
            if (peer != null && !java.nio.file.Files.isRegularFile(peer)) {
                throw new org.mtcompress.util.MtcException("--peer: no such file: " + peer);
            }
            String header = String.format("%-6s %10s %10s %12s %12s %14s %12s", "size", "params", "s/step", "tgt tok/s",
                    "cpu s/step", "tok/s @2 idle", "peak RSS MB") + (peer != null ? String.format(" %12s %8s", "peer tok/s", "ratio") : "");
            System.out.println(header);
            List<String> rows = new java.util.ArrayList<>();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            int cores = Runtime.getRuntime().availableProcessors();
            for (String size : sizes) {
                ModelConfig mc = shape(size, dropout);
                Transformer m = Transformer.create(mc, vocab, 0, 2, 3, 1);
                Trainer t = new Trainer(m, TrainConfig.quick(1e-4, 4000, 0), org.mtcompress.train.TrainSeeds.of(1)).quiet();
                Random r = new Random(1);
                int[][] s = new int[batch][length], y = new int[batch][length];
                for (int i = 0; i < batch; i++) {
                    for (int j = 0; j < length; j++) {
                        s[i][j] = 4 + r.nextInt(vocab - 4);
                        y[i][j] = 4 + r.nextInt(vocab - 4);
                    }
                }
                Batch b = new Batch(s, y, new int[batch], batch * length, batch * length);
                t.trainStep(b);
                t.trainStep(b);
                double sec = 0;
                long cpu0 = os.getProcessCpuTime();
                for (int k = 0; k < steps; k++) {
                    sec += t.trainStep(b).seconds();
                }
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / steps;
                long params = m.parameters().names().stream()
                        .mapToLong(n -> java.util.Arrays.stream(m.parameters().shape(n)).reduce(1, (a, c) -> a * c)).sum();
                double tokPerS = batch * (double) length * steps / sec;
                // on a shared machine wall time depends on the neighbours; CPU seconds per step divided by the
                // cores estimates the step time on an idle machine (assumes the step keeps all cores busy)
                String row = String.format("%-6s %10d %10.3f %12.0f %12.3f %14.0f %12d", size, params, sec / steps,
                        tokPerS, cpu, batch * (double) length / (cpu / cores),
                        org.mtcompress.util.MachineInfo.peakRssMb());
                if (peer != null) {
                    double peerTok = PeerBench.run(python, peer, mc, vocab, batch, length, Math.max(steps, 10), cores);
                    row += String.format(" %12.0f %8.2f", peerTok, tokPerS / peerTok);
                }
                System.out.println(row);
                rows.add(row);
            }
            if (out != null) {
                writeReport(header, rows);
            }
            return 0;
        }

        /** The table as markdown, with what produced it, written atomically. */
        private void writeReport(String header, List<String> rows) {
            org.mtcompress.experiment.Provenance p = new org.mtcompress.experiment.Provenance("bench-train", 1, Path.of("."));
            StringBuilder md = new StringBuilder("# mtc bench train\n\n");
            md.append("Produced by `./mtc ").append(String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                    .append("` (batch ").append(batch).append(" x ").append(length).append(" target tokens, vocabulary ")
                    .append(vocab).append(", dropout ").append(dropout).append(", ").append(steps)
                    .append(" timed steps after 2 warm-up steps").append(peer != null ? "; peer: " + peer + " with the same "
                            + "shape, thread count and environment, its median step" : "").append(").\n\n```\n")
                    .append(header).append('\n');
            rows.forEach(r -> md.append(r).append('\n'));
            md.append("```\n\nProvenance:\n\n```json\n").append(org.mtcompress.util.Json.write(p.toJson())).append("\n```\n");
            org.mtcompress.util.AtomicFiles.writeString(out, md.toString());
        }

        static ModelConfig shape(String size, double dropout) {
            return switch (size) {
                case "tiny" -> new ModelConfig(2, 2, 4, 128, 512, dropout, true, true, 256, ModelConfig.Embedding.DENSE);
                case "small" -> new ModelConfig(3, 3, 4, 256, 1024, dropout, true, true, 256, ModelConfig.Embedding.DENSE);
                case "base" -> new ModelConfig(6, 6, 8, 512, 2048, dropout, true, true, 256, ModelConfig.Embedding.DENSE);
                default -> throw new org.mtcompress.util.MtcException("unknown size '" + size + "' (known: tiny, small, base)");
            };
        }
    }
}
