package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SweepCommandTest {
    @TempDir
    Path dir;

    private record Ran(int code, String out, String err) {
    }

    private Ran mtc(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Ran(code, out.toString(), err.toString());
    }

    private Path experiment() throws Exception {
        Path yaml = dir.resolve("abl.yaml");
        Files.writeString(yaml, """
                grid: {compress.bits: [1, 4], compress.scope: [self_attention, all]}
                sweep:
                  runs_dir: %s
                  command: [sh, -c, 'test "$MTC_RUN_NAME" != bits1-scope_all || exit 9; echo "{\\"n\\": 1}" > "$MTC_RUN_DIR/metrics.json"']
                """.formatted(dir.resolve("runs")));
        return yaml;
    }

    @Test
    void planRunStatusCollect() throws Exception {
        Path yaml = experiment();
        Ran plan = mtc("sweep", "plan", yaml.toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("0    bits1-scope_self_attention  pending  compress.bits=1 compress.scope=self_attention"),
                plan.out());
        assertTrue(plan.out().contains("4 runs, 0 done, 4 pending"), plan.out());

        Ran run = mtc("sweep", "run", yaml.toString(), "--parallel", "2", "--cores", "2");
        assertEquals(1, run.code(), "a failed run makes the exit code 1");
        assertTrue(run.out().contains("4 runs: 3 done now, 0 already done, 1 failed"), run.out());
        assertTrue(run.out().contains("failed: bits1-scope_all (exit code 9"), run.out());
        assertTrue(run.out().contains("bits4-scope_all: started (1 threads)"), run.out());

        plan = mtc("sweep", "plan", yaml.toString());
        assertTrue(plan.out().contains("4 runs, 3 done, 1 pending"), plan.out());
        Ran status = mtc("sweep", "status", yaml.toString());
        assertTrue(status.out().contains("{DONE=3, FAILED=1}"), status.out());

        Ran dry = mtc("sweep", "submit", yaml.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("#SBATCH --array=0-0\n"), "only the failed run is pending: " + dry.out());
        assertTrue(dry.out().contains("  0) RUN='bits1-scope_all'; "), dry.out());
        assertTrue(dry.out().contains("(not submitted)"), dry.out());

        assertEquals(0, mtc("sweep", "collect", yaml.toString()).code());
        assertEquals(4, Files.readAllLines(dir.resolve("runs/sweep-metrics.csv")).size());
    }

    @Test
    void aRowWhoseConfigChangedIsNotDone() throws Exception {
        Path yaml = dir.resolve("exp.yaml");
        Path results = dir.resolve("results");
        String head = "extends: " + org.mtcompress.TestPaths.projectRoot().resolve("configs/train/multi30k-tiny.yaml")
                + "\nexperiment: hashes\nseed: 1\n";
        Files.writeString(yaml, head + "variants:\n  - {name: k, compressor: {name: kmeans, bits: 4, scope: {preset: all}}}\n");
        // finished folders of both rows, made under the file's config as it is now
        var loaded = org.mtcompress.experiment.ExperimentConfig.load(yaml, java.util.List.of());
        for (org.mtcompress.experiment.ExperimentRunner.Row row : org.mtcompress.experiment.ExperimentRunner.rows(loaded)) {
            var f = org.mtcompress.experiment.RunFolder.open(results, "hashes", row.name(), row.config(), 1, null);
            f.writeMetrics(java.util.Map.of("row", "x"));
            f.finish();
        }
        Ran plan = mtc("sweep", "plan", yaml.toString(), "--results", results.toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("original  done"), plan.out());
        assertTrue(plan.out().contains("1 runs, 1 done, 0 pending"), plan.out());

        // the variant changes: its finished folder is another config's, so it is pending again
        Files.writeString(yaml, head + "variants:\n  - {name: k, compressor: {name: kmeans, bits: 2, scope: {preset: all}}}\n");
        plan = mtc("sweep", "plan", yaml.toString(), "--results", results.toString());
        assertTrue(plan.out().contains("original  done"), plan.out());
        assertTrue(plan.out().contains("1 runs, 0 done, 1 pending"), plan.out());
        // a changed seed changes the baseline: the original row is not done either
        Files.writeString(yaml, head.replace("seed: 1", "seed: 2")
                + "variants:\n  - {name: k, compressor: {name: kmeans, bits: 4, scope: {preset: all}}}\n");
        plan = mtc("sweep", "plan", yaml.toString(), "--results", results.toString());
        assertTrue(plan.out().contains("original  pending"), plan.out());
        assertTrue(plan.out().contains("1 runs, 0 done, 1 pending"), plan.out());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "zip: {a: [1, 2], b: [3]}\n");
        Ran r = mtc("sweep", "plan", yaml.toString());
        assertEquals(2, r.code());
        assertEquals("mtc: error: " + yaml + ":1: zip lists must have equal lengths: 'a' has 2 values but 'b' has 1\n",
                r.err());
        Ran missing = mtc("sweep", "plan", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("mtc: error: no such experiment file"), missing.err());
        Ran exec = mtc("sweep", "submit", experiment().toString(), "--executor", "pbs");
        assertEquals(2, exec.code());
        assertTrue(exec.err().contains("unknown executor 'pbs'; known: slurm"), exec.err());
    }
}
