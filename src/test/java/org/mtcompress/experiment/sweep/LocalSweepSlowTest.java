package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mtcompress.TestPaths;
import org.mtcompress.cli.Main;
import org.mtcompress.experiment.RunFolder;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.util.Json;
import tech.tablesaw.api.Table;

/**
 * The local executor on the real runner: {@code mtc sweep run --parallel 2} of the tiny 4-run experiment of
 * {@link SlurmSweepTest} (each run a real {@code mtc run --only} process with one thread), then a second
 * {@code sweep run} that finds everything done, then {@code sweep collect}.
 */
@Tag("slow")
class LocalSweepSlowTest {
    @Test
    void parallelLocalSweepRunsEveryRowOnceAndCollectsTheTable() throws Exception {
        Path root = TestPaths.projectRoot();
        assertTrue(Files.isDirectory(root.resolve("target/lib")), "target/lib is missing: run through mvn verify");
        Path dir = Files.createTempDirectory(root.resolve("target"), "local-sweep-");
        Path results = dir.resolve("results");
        Path yaml = dir.resolve("tinysweep.yaml");
        Files.writeString(yaml, SlurmSweepTest.tinyExperiment(root, SlurmSweepTest.javaCommand(root)));
        String res = "--results=" + results;

        assertEquals(0, Main.execute("sweep", "run", yaml.toString(), "--parallel", "2", res));
        Path runs = results.resolve("runs/tinysweep");
        for (String r : SlurmSweepTest.RUNS) {
            assertTrue(RunFolder.isFinished(runs.resolve(r)), r);
        }
        String firstStart = startTime(runs.resolve("bits1-preset_all"));

        // idempotent: a second sweep run recomputes nothing
        assertEquals(0, Main.execute("sweep", "run", yaml.toString(), "--parallel", "2", res));
        assertEquals(firstStart, startTime(runs.resolve("bits1-preset_all")));

        assertEquals(0, Main.execute("sweep", "collect", yaml.toString(), res));
        Table t = Table.read().csv(results.resolve("runs/tinysweep/table.csv").toFile());
        assertEquals(ComparisonTable.COLUMNS, t.columnNames());
        assertEquals(5, t.rowCount());
        int all1 = t.stringColumn("variant").indexOf("bits1-preset_all");
        int all4 = t.stringColumn("variant").indexOf("bits4-preset_all");
        assertTrue(t.doubleColumn("ratio (model)").getDouble(all1) > t.doubleColumn("ratio (model)").getDouble(all4));
        assertTrue(Files.size(results.resolve("runs/tinysweep/bleu_vs_ratio.png")) > 0);
    }

    private static String startTime(Path run) {
        return String.valueOf(Json.readFile(run.resolve(RunFolder.PROVENANCE), Map.class).get("start_time"));
    }
}
