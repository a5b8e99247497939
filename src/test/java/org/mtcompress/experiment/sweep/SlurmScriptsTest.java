package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated sbatch scripts: their directives, and (run by bash as Slurm would) their behaviour. */
class SlurmScriptsTest {
    @TempDir
    Path dir;

    private final List<SweepRun> runs = List.of(
            new SweepRun("bits4", List.of("compress.bits=4")),
            new SweepRun("it's", List.of("note=it's quoted")));

    private String script(SlurmConfig res, RunCommand cmd) {
        return SlurmScripts.arrayScript("mtc-ablation", res, runs, cmd, dir, dir.resolve("runs"),
                dir.resolve("ablation.yaml"), "metrics.json", dir.resolve("runs/.sweep/logs"));
    }

    @Test
    void directivesFollowTheResources() {
        SlurmConfig res = new SlurmConfig("gpu", "04:00:00", "16G", 4, 2, 10,
                List.of("--account=nlp", "#SBATCH --qos=low"));
        String s = script(res, new RunCommand(List.of("./mtc", "run", "{experiment}", "--only", "{run}")));
        List<String> directives = s.lines().filter(l -> l.startsWith("#SBATCH")).toList();
        assertEquals(List.of(
                "#SBATCH --job-name=mtc-ablation",
                "#SBATCH --array=0-1%10",
                "#SBATCH --output=" + dir + "/runs/.sweep/logs/%x-%A_%a.out",
                "#SBATCH --open-mode=append",
                "#SBATCH --requeue",
                "#SBATCH --partition=gpu",
                "#SBATCH --time=04:00:00",
                "#SBATCH --mem=16G",
                "#SBATCH --cpus-per-task=4",
                "#SBATCH --gres=gpu:2",
                "#SBATCH --account=nlp",
                "#SBATCH --qos=low"), directives);
        assertTrue(s.startsWith("#!/bin/bash\n"));
        assertTrue(s.contains("  0) RUN='bits4'; set -- './mtc' 'run' '" + dir + "/ablation.yaml' '--only' 'bits4' ;;\n"), s);
        assertTrue(s.contains("  1) RUN='it'\\''s'; set -- "), s);
        assertTrue(s.contains("export OMP_NUM_THREADS=\"$THREADS\" OPENBLAS_NUM_THREADS=\"$THREADS\""), s);
    }

    @Test
    void defaultsWriteNoPartitionNoGpuNoThrottle() {
        String s = script(SlurmConfig.defaults(), new RunCommand(List.of("true")));
        assertTrue(s.contains("#SBATCH --array=0-1\n"), s);
        assertTrue(s.contains("#SBATCH --cpus-per-task=1\n"), s);
        assertFalse(s.contains("--partition"));
        assertFalse(s.contains("--gres"));
        assertFalse(s.contains("--time"));
    }

    private Process bash(Path script, int task) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", Integer.toString(task));
        pb.environment().put("SLURM_ARRAY_JOB_ID", "42");
        pb.environment().put("SLURM_CPUS_PER_TASK", "3");
        return pb.start();
    }

    @Test
    void eachIndexRunsItsRunAndTheDoneFileDecides() throws Exception {
        RunCommand cmd = new RunCommand(List.of("sh", "-c",
                "echo \"$OMP_NUM_THREADS|$1\" > \"$MTC_RUN_DIR/out.txt\"; [ \"$1\" = 'note=it'\\''s quoted' ] || echo '{}' > \"$MTC_RUN_DIR/metrics.json\"",
                "sh", "{overrides}"));
        Path script = dir.resolve("array.sbatch");
        Files.writeString(script, script(SlurmConfig.defaults(), cmd));

        Process p0 = bash(script, 0);
        String out0 = new String(p0.getInputStream().readAllBytes());
        assertEquals(0, p0.waitFor(), out0);
        Path run0 = dir.resolve("runs/bits4");
        assertEquals("3|compress.bits=4\n", Files.readString(run0.resolve("out.txt")));
        assertTrue(Files.readString(run0.resolve("sweep.log")).contains("task 42_0"));
        assertTrue(Files.exists(run0.resolve("metrics.json")));

        // a finished run is not run again
        Files.delete(run0.resolve("out.txt"));
        Process again = bash(script, 0);
        assertTrue(new String(again.getInputStream().readAllBytes()).contains("bits4: already done"));
        assertEquals(0, again.waitFor());
        assertFalse(Files.exists(run0.resolve("out.txt")));

        // index 1 exits 0 without metrics.json: the task fails
        Process p1 = bash(script, 1);
        String out1 = new String(p1.getInputStream().readAllBytes());
        assertEquals(3, p1.waitFor(), out1);
        assertTrue(out1.contains("it's: finished without writing metrics.json"), out1);
        assertEquals("3|note=it's quoted\n", Files.readString(dir.resolve("runs/it's/out.txt")));

        Process p9 = bash(script, 9);
        p9.getInputStream().readAllBytes();
        assertEquals(2, p9.waitFor());
    }

    @Test
    void aRowIsDoneOnlyWithItsConfigHash() throws Exception {
        RunCommand cmd = new RunCommand(List.of("sh", "-c", "echo ran > \"$MTC_RUN_DIR/out.txt\""));
        Path script = dir.resolve("rows.sbatch");
        Files.writeString(script, SlurmScripts.arrayScript("mtc-rows", SlurmConfig.defaults(),
                List.of(new SweepRun("k", List.of(), "abc123")), cmd, dir, dir.resolve("runs"),
                dir.resolve("exp.yaml"), "metrics.json", dir.resolve("runs/.sweep/logs")));
        Path run = dir.resolve("runs/k");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.json"), "{}");
        Files.writeString(run.resolve("provenance.json"), "{\n  \"config_hash\" : \"abc123\",\n  \"status\" : \"finished\"\n}");
        Process same = bash(script, 0);
        String out = new String(same.getInputStream().readAllBytes());
        assertEquals(0, same.waitFor(), out);
        assertTrue(out.contains("k: already done"), out);
        assertFalse(Files.exists(run.resolve("out.txt")));

        // finished under another config: not done, so the task runs it
        Files.writeString(run.resolve("provenance.json"), "{\n  \"config_hash\" : \"old456\",\n  \"status\" : \"finished\"\n}");
        Process changed = bash(script, 0);
        out = new String(changed.getInputStream().readAllBytes());
        changed.waitFor();
        assertFalse(out.contains("already done"), out);
        assertEquals("ran\n", Files.readString(run.resolve("out.txt")));
    }

    @Test
    void baselineScriptRunsItsCommand() throws Exception {
        String s = SlurmScripts.baselineScript("mtc-ablation-baseline", SlurmConfig.defaults(),
                new RunCommand(List.of("sh", "-c", "echo base > baseline.txt")), dir, dir.resolve("runs"),
                dir.resolve("ablation.yaml"), dir.resolve("logs"));
        assertTrue(s.contains("#SBATCH --job-name=mtc-ablation-baseline\n"), s);
        assertTrue(s.contains("#SBATCH --output=" + dir + "/logs/%x-%j.out\n"), s);
        assertFalse(s.contains("--array"));
        Path script = dir.resolve("b.sbatch");
        Files.writeString(script, s);
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertEquals("base\n", Files.readString(dir.resolve("baseline.txt")));
    }

    @Test
    void parsesSlurmOutput() {
        assertEquals("1234", SlurmClient.parseJobId("1234\n"));
        assertEquals("77", SlurmClient.parseJobId("77;cluster\n"));
        assertEquals(List.of("12_0", "12_1", "12_2", "12_5"), SlurmClient.expandArrayId("12_[0-2,5%2]"));
        assertEquals(List.of("12_3"), SlurmClient.expandArrayId("12_3"));
        assertEquals(Map.of("12_0", "COMPLETED", "12_1", "CANCELLED", "12_2", "PENDING", "12_3", "PENDING", "11", "FAILED"),
                SlurmClient.parseSacct("11|FAILED\n12_0|COMPLETED\n12_1|CANCELLED by 0\n12_[2-3%1]|PENDING\n"));
        assertEquals(Map.of("12_2", "RUNNING", "12_3", "PENDING"), SlurmClient.parseSqueue("12_2|RUNNING\n12_3|PENDING\n"));
    }

    @Test
    void runStatesCombineDoneFilesSubmissionsAndSlurm() throws IOException {
        List<SweepRun> all = List.of(new SweepRun("a", List.of()), new SweepRun("b", List.of()),
                new SweepRun("c", List.of()), new SweepRun("d", List.of()), new SweepRun("e", List.of()));
        Path runsDir = dir.resolve("runs");
        Files.createDirectories(runsDir.resolve("a"));
        Files.writeString(runsDir.resolve("a/metrics.json"), "{}");
        SlurmExecutor ex = new SlurmExecutor(dir, runsDir, dir.resolve("x.yaml"),
                SweepSpec.Settings.defaults(), new SlurmClient());
        SlurmExecutor.State state = new SlurmExecutor.State(List.of(
                new SlurmExecutor.Submission("array", "10", "s0", List.of("a", "b", "c"), null, "t"),
                new SlurmExecutor.Submission("array", "11", "s1", List.of("c", "d"), null, "t")));
        Map<String, String> slurm = Map.of("10_0", "COMPLETED", "10_1", "COMPLETED", "10_2", "FAILED",
                "11_0", "RUNNING", "11_1", "PENDING");
        List<SlurmExecutor.RunState> states = ex.statuses(all, state, slurm).stream()
                .map(SlurmExecutor.RunStatus::state).toList();
        assertEquals(List.of(SlurmExecutor.RunState.DONE, SlurmExecutor.RunState.FAILED,
                SlurmExecutor.RunState.RUNNING, SlurmExecutor.RunState.QUEUED,
                SlurmExecutor.RunState.NOT_SUBMITTED), states);
        assertEquals("11_0", ex.statuses(all, state, slurm).get(2).taskId());
    }
}
