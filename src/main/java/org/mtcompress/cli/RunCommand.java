package org.mtcompress.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.experiment.ExperimentConfig;
import org.mtcompress.experiment.ExperimentRunner;
import org.mtcompress.experiment.ResultsLayout;
import org.mtcompress.experiment.RunPlan;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.report.ReferenceComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtc run EXPERIMENT.yaml}: baseline, every variant, the table and charts. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment: train (or reuse) the baseline, then compress, retrain and evaluate every "
                + "variant, and write the table (table.md, table.csv) and charts beside your run folders in "
                + "results/runs/<experiment>/; when a committed reference results/<experiment>/ exists, print your "
                + "table beside it.",
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

    @Option(names = "--reference", description = "write into the committed reference results/<experiment>/ (rows "
            + "under its runs/) instead of your own results/runs/<experiment>/; its finished rows are reused, so "
            + "delete results/<experiment>/runs/ first to regenerate it")
    boolean reference;

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
        ExperimentRunner.Outcome outcome = new ExperimentRunner(results, Path.of("").toAbsolutePath(), System.out::println,
                reference).run(loaded, only);
        if (outcome.table() == null) {
            return outcome.failed() > 0 ? 1 : 0;
        }
        System.out.println();
        System.out.print(ComparisonTable.toMarkdown(outcome.table()));
        if (!reference) {
            String experiment = loaded.value().experiment();
            Path refRuns = ResultsLayout.referenceRuns(results, experiment);
            if (Files.isDirectory(refRuns)) {
                System.out.println();
                System.out.println("Yours beside the committed reference " + ResultsLayout.referenceTable(results, experiment)
                        + "/table.md (Δ = yours − reference):");
                System.out.print(ReferenceComparison.toMarkdown(
                        ComparisonTable.readRows(ResultsLayout.ownRuns(results, experiment)),
                        ComparisonTable.readRows(refRuns)));
            }
        }
        return outcome.failed() > 0 ? 1 : 0;
    }
}
