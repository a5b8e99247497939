package org.mtcompress.cli;

import org.mtcompress.bench.CompressTimings;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mtc bench compress}: k-means, BS-Flex and sorting on one thread, as a table. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Time 4-bit k-means and BS-Flex steps on N weights, one thread (goals: k-means of 10M < 1 s, "
                + "BS-Flex step < 50 ms); wall and CPU time, median of the repetitions.",
        footer = {"", "Example:", "  ./mtc bench compress --n 10000000 --reps 5"})
public final class BenchCompressCommand implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "10000000", description = "number of weights (default 10M)")
    int n;

    @Option(names = "--reps", defaultValue = "5", description = "measured repetitions after 2 warm-ups (default 5)")
    int reps;

    @Override
    public Integer call() {
        if (n < 2 || reps < 1) {
            throw new MtcException("--n must be >= 2 and --reps >= 1");
        }
        System.out.printf("%d weights, %d repetitions, 1 thread, %d cores visible%n%n", n, reps,
                Runtime.getRuntime().availableProcessors());
        System.out.print(CompressTimings.table(CompressTimings.run(n, reps)));
        return 0;
    }
}
