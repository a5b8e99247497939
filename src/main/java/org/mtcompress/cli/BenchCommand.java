package org.mtcompress.cli;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.StepProfile;
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
                BenchBleuCommand.class, BenchDecodeCommand.class},
        footer = {"", "Examples:", "  ./mtc bench train --sizes tiny,small", "  ./mtc bench compress --n 10000000 --reps 5",
                "  ./mtc bench embedding --seconds 3", "  ./mtc bench decode --sizes small --out results/bench/decode.md"})
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
        @Option(names = "--profile", description = "also print, per size, the time per op type per step (forward and "
                + "backward), the matrix products' GFLOP/s and the time outside ops (timing every op adds a little)")
        boolean profile;

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
            List<String> profiles = new java.util.ArrayList<>();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            int cores = Runtime.getRuntime().availableProcessors();
            for (String size : sizes) {
                ModelConfig mc = shape(size, dropout);
                Transformer m = Transformer.create(mc, vocab, 0, 2, 3, 1);
                TrainConfig tc = TrainConfig.quick(1e-4, 4000, 0);
                Trainer t = new Trainer(m, tc, org.mtcompress.train.TrainSeeds.of(1)).quiet();
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
                StepProfile prof = null;
                if (profile) {
                    prof = new StepProfile();
                    m.profile(prof, tc.labelSmoothing());
                    prof.running(true);
                }
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
                if (prof != null) {
                    prof.running(false);
                    String table = profileTable(size, prof, sec / steps);
                    System.out.print(table);
                    profiles.add(table);
                }
            }
            if (out != null) {
                writeReport(header, rows, profiles);
            }
            return 0;
        }

        /** Per op type: milliseconds and calls per step in each pass, GFLOP/s of the matrix products. */
        private String profileTable(String size, StepProfile prof, double stepSeconds) {
            StringBuilder out = new StringBuilder();
            java.util.Map<String, double[]> byType = new java.util.TreeMap<>();   // fwd s, fwd calls, bwd s, bwd calls, flops
            prof.forward().forEach((k, e) -> {
                double[] r = byType.computeIfAbsent(k, x -> new double[5]);
                r[0] += e.seconds() / steps;
                r[1] += e.calls() / (double) steps;
                r[4] += e.flops() / steps;
            });
            prof.backward().forEach((k, e) -> {
                double[] r = byType.computeIfAbsent(k, x -> new double[5]);
                r[2] += e.seconds() / steps;
                r[3] += e.calls() / (double) steps;
                r[4] += e.flops() / steps;
            });
            double fwd = byType.values().stream().mapToDouble(r -> r[0]).sum();
            double bwd = byType.values().stream().mapToDouble(r -> r[2]).sum();
            double mmFlops = byType.values().stream().mapToDouble(r -> r[4]).sum();
            double mmSec = byType.values().stream().filter(r -> r[4] > 0).mapToDouble(r -> r[0] + r[2]).sum();
            out.append(String.format("%nprofile %s: %.3f s/step; in ops %.3f s (forward %.3f, backward %.3f), outside ops %.3f s "
                    + "(feeds, embedding lookup and scatter, gradient norm, Adam, gc, graph bookkeeping)%n",
                    size, stepSeconds, fwd + bwd, fwd, bwd, stepSeconds - fwd - bwd));
            out.append(String.format("matrix products: %.1f GFLOP/step in %.3f s: %.1f GFLOP/s; ops per step: %.0f%n",
                    mmFlops / 1e9, mmSec, mmSec > 0 ? mmFlops / 1e9 / mmSec : 0,
                    byType.values().stream().mapToDouble(r -> r[1] + r[3]).sum()));
            out.append(String.format("%-34s %9s %6s %9s %6s %8s %8s%n", "op type", "fwd ms", "calls", "bwd ms", "calls",
                    "share", "GFLOP/s"));
            byType.entrySet().stream()
                    .sorted((a, c) -> Double.compare(c.getValue()[0] + c.getValue()[2], a.getValue()[0] + a.getValue()[2]))
                    .forEach(en -> {
                        double[] r = en.getValue();
                        double secs = r[0] + r[2];
                        out.append(String.format("%-34s %9.1f %6.0f %9.1f %6.0f %7.1f%% %8s%n", en.getKey(), r[0] * 1e3, r[1],
                                r[2] * 1e3, r[3], 100 * secs / stepSeconds,
                                r[4] > 0 ? String.format("%.1f", r[4] / 1e9 / secs) : ""));
                    });
            return out.append('\n').toString();
        }

        /** The table as markdown, with what produced it, written atomically. */
        private void writeReport(String header, List<String> rows, List<String> profiles) {
            org.mtcompress.experiment.Provenance p = new org.mtcompress.experiment.Provenance("bench-train", 1, Path.of("."));
            StringBuilder md = new StringBuilder("# mtc bench train\n\n");
            md.append("Produced by `./mtc ").append(String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                    .append("` (batch ").append(batch).append(" x ").append(length).append(" target tokens, vocabulary ")
                    .append(vocab).append(", dropout ").append(dropout).append(", ").append(steps)
                    .append(" timed steps after 2 warm-up steps").append(peer != null ? "; peer: " + peer + " with the same "
                            + "shape, thread count and environment, its median step" : "").append(").\n\n```\n")
                    .append(header).append('\n');
            rows.forEach(r -> md.append(r).append('\n'));
            md.append("```\n");
            if (!profiles.isEmpty()) {
                md.append("\nProfile (--profile: time per op type per step, summed over the timed steps):\n\n```");
                profiles.forEach(md::append);
                md.append("```\n");
            }
            md.append("\nProvenance:\n\n```json\n").append(org.mtcompress.util.Json.write(p.toJson())).append("\n```\n");
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
