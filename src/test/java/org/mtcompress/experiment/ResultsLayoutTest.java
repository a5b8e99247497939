package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.util.MtcException;

/**
 * A committed reference is never taken for the user's own run: on a fresh clone (the committed
 * {@code results/quickstart/} with its run folders, nothing under {@code results/runs/}) the quickstart computes
 * every row, while the user's own finished rows are reused. Uses the real committed folders; trains nothing.
 */
class ResultsLayoutTest {
    @TempDir
    Path tmp;

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static ConfigLoader.Loaded<RowConfig> rowConfig(ExperimentRunner.Row r) {
        return ConfigLoader.of(new RowConfig(r.cfg().baseline(), r.cfg().eval(), r.variant()), null);
    }

    @Test
    void freshCloneComputesEveryQuickstartRowAndReusesOnlyTheUsersOwnFinishedRows() throws Exception {
        Path root = TestPaths.projectRoot();
        Path results = tmp.resolve("results");
        copyTree(root.resolve("results/quickstart"), results.resolve("quickstart"));
        ConfigLoader.Loaded<ExperimentConfig> loaded = ExperimentConfig.load(root.resolve("experiments/quickstart.yaml"), List.of());
        List<ExperimentRunner.Row> rows = ExperimentRunner.rows(loaded);
        assertEquals(15, rows.size());

        // the committed reference holds a finished folder for every row ...
        Path refRuns = ResultsLayout.referenceRuns(results, "quickstart");
        for (ExperimentRunner.Row r : rows) {
            assertTrue(RunFolder.isFinished(refRuns.resolve(r.name())), "committed reference lacks " + r.name());
        }
        // ... and the user's runner computes every one of them, in the git-ignored results/runs/quickstart/
        ExperimentRunner mine = new ExperimentRunner(results, root, line -> { });
        assertEquals(results.resolve("runs/quickstart"), mine.runsDir("quickstart"));
        assertEquals(results.resolve("runs/quickstart"), mine.tableDir("quickstart"));
        for (ExperimentRunner.Row r : rows) {
            assertEquals(ExperimentRunner.RowState.COMPUTE, mine.state("quickstart", r), r.name());
        }

        // the user's own finished row is reused; one finished with another config is refused, not recomputed
        ExperimentRunner.Row kmeans4 = rows.stream().filter(r -> r.name().equals("kmeans4")).findFirst().orElseThrow();
        ExperimentRunner.Row kmeans8 = rows.stream().filter(r -> r.name().equals("kmeans8")).findFirst().orElseThrow();
        RunFolder.open(mine.runsDir("quickstart").resolve("kmeans4"), "quickstart/kmeans4", rowConfig(kmeans4), 1, root)
                .finish();
        RunFolder.open(mine.runsDir("quickstart").resolve("kmeans8"), "quickstart/kmeans8", rowConfig(kmeans4), 1, root)
                .finish();
        assertEquals(ExperimentRunner.RowState.REUSE, mine.state("quickstart", kmeans4));
        assertEquals(ExperimentRunner.RowState.CHANGED, mine.state("quickstart", kmeans8));
        assertEquals(ExperimentRunner.RowState.COMPUTE, mine.state("quickstart", rows.get(0)));

        // regenerating the reference (--reference) works on the committed folders themselves
        ExperimentRunner ref = new ExperimentRunner(results, root, line -> { }, true);
        assertEquals(refRuns, ref.runsDir("quickstart"));
        assertEquals(results.resolve("quickstart"), ref.tableDir("quickstart"));
        for (ExperimentRunner.Row r : rows) {
            assertNotEquals(ExperimentRunner.RowState.COMPUTE, ref.state("quickstart", r), r.name());
        }
    }

    @Test
    void tablesGoBesideTheUsersRunsAndAboveAReferencesRuns() {
        Path results = tmp.resolve("results");
        assertEquals(results.resolve("quickstart").toAbsolutePath(),
                ResultsLayout.tableDirOf(results.resolve("quickstart/runs")));
        assertEquals(results.resolve("runs/quickstart").toAbsolutePath(),
                ResultsLayout.tableDirOf(results.resolve("runs/quickstart")));
        assertEquals(results.resolve("runs/baselines"), ResultsLayout.baselines(results));
        // names that would collide with the user's runs folder are refused
        assertThrows(MtcException.class, () -> ResultsLayout.ownRuns(results, "runs"));
        assertThrows(MtcException.class, () -> ResultsLayout.ownRuns(results, "baselines"));
        assertThrows(MtcException.class, () -> ResultsLayout.row(results, "../escape"));
    }
}
