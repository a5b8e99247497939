package org.mtcompress.cli;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.TrainRun;
import org.mtcompress.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
            footer = {"", "Example:", "  OMP_WAIT_POLICY=PASSIVE ./mtc bench train --sizes tiny,small --steps 5"})
    public static final class Train implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "tiny,small", description = "tiny, small, base")
        List<String> sizes;
        @Option(names = "--batch", defaultValue = "64") int batch;
        @Option(names = "--length", defaultValue = "32") int length;
        @Option(names = "--vocab", defaultValue = "8000") int vocab;
        @Option(names = "--steps", defaultValue = "5", description = "timed steps (after 2 warm-up steps)") int steps;
        @Option(names = "--dropout", defaultValue = "0.1") double dropout;

        @Override
        public Integer call() {
            System.out.printf("%-6s %10s %10s %12s %12s %14s %12s%n", "size", "params", "s/step", "tgt tok/s",
                    "cpu s/step", "tok/s @2 idle", "peak RSS MB");
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (String size : sizes) {
                ModelConfig mc = shape(size, dropout);
                Transformer m = Transformer.create(mc, vocab, 0, 2, 3, 1);
                Trainer t = new Trainer(m, TrainConfig.quick(1e-4, 4000, 0, 1)).quiet();
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
                int cores = Runtime.getRuntime().availableProcessors();
                long params = m.parameters().names().stream()
                        .mapToLong(n -> java.util.Arrays.stream(m.parameters().shape(n)).reduce(1, (a, c) -> a * c)).sum();
                // on a shared machine wall time depends on the neighbours; CPU seconds per step divided by the
                // cores estimates the step time on an idle machine (assumes the step keeps all cores busy)
                System.out.printf("%-6s %10d %10.3f %12.0f %12.3f %14.0f %12d%n", size, params, sec / steps,
                        batch * (double) length * steps / sec, cpu, batch * (double) length / (cpu / cores),
                        org.mtcompress.experiment.MachineInfo.peakRssMb());
            }
            return 0;
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
