package org.mtcompress.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.experiment.ExperimentConfig;
import org.mtcompress.experiment.ExperimentRunner;
import org.mtcompress.experiment.RunPlan;
import org.mtcompress.report.ComparisonTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtc run EXPERIMENT.yaml}: baseline, every variant, the table and charts. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment: train (or reuse) the baseline, then compress, retrain and evaluate every "
                + "variant, and write results/<experiment>/table.md, table.csv and charts.",
                "Finished rows are never recomputed: run the same command again to resume after an interruption."},
        footer = {"", "Examples:", "  ./mtc run experiments/quickstart.yaml",
                "  ./mtc run experiments/quickstart.yaml --dry-run",
                "  ./mtc run experiments/poster.yaml train.max_minutes=30 eval.beam=1",
                "  ./mtc run experiments/sweep-kmeans-bits.yaml --only bits2-preset_all-seed1"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the experiment spec (YAML)")
    Path file;

    @Parameters(index = "1..*", arity = "0..*", description = "overrides key.path=value")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--results", description = "results folder (default: results)")
    Path results = Path.of("results");

    @Option(names = "--only", paramLabel = "NAME", description = "compute just this row: 'original', a variant name, "
            + "or a grid run name (see: mtc sweep plan); the baseline is trained or reused first, the table is left "
            + "to 'mtc sweep collect' or 'mtc table'")
    String only;

    @Option(names = "--dry-run", description = "check the whole experiment (every variant and grid run), print the "
            + "plan (baselines to train or reuse, each row's stages and steps) and exit without training")
    boolean dryRun;

    @Override
    public Integer call() {
        ConfigLoader.Loaded<ExperimentConfig> loaded = ExperimentConfig.load(file, overrides);
        // every row is built (and so checked) before anything trains: a bad grid run stops here
        List<String> plan = RunPlan.lines(results, loaded);
        if (dryRun) {
            plan.forEach(System.out::println);
            return 0;
        }
        ExperimentRunner.Outcome outcome = new ExperimentRunner(results, Path.of("").toAbsolutePath(), System.out::println)
                .run(loaded, only);
        if (outcome.table() == null) {
            return outcome.failed() > 0 ? 1 : 0;
        }
        System.out.println();
        System.out.print(ComparisonTable.toMarkdown(outcome.table()));
        return outcome.failed() > 0 ? 1 : 0;
    }
}
