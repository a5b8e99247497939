package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mtcompress.cli.Main;
import org.mtcompress.TestPaths;

/**
 * A 4-run sweep on a real Slurm (the single-node cluster of scripts/slurm/start.sh): baseline job first, the
 * array after it, one run failing on purpose, resubmission of only that run, accounting checked with sacct.
 */
@Tag("slow")
class SlurmSweepTest {
    private static final String START = "no Slurm cluster answers (sinfo: %s). Start the single-node test cluster"
            + " as root with scripts/slurm/start.sh (and stop it afterwards with scripts/slurm/stop.sh)";

    @Test
    void fourTaskSweepThroughBaselineFailureAndResubmission() throws Exception {
        SlurmClient client = new SlurmClient(30);
        SlurmClient.Result info = new SlurmClient(10).exec(List.of("sinfo", "-h"));
        if (info.exitCode() != 0) {
            fail(String.format(START, (info.stderr() + info.stdout()).strip()));
        }
        Path target = TestPaths.projectRoot().resolve("target");
        Files.createDirectories(target);
        Path dir = Files.createTempDirectory(target, "slurm-sweep-");
        Path runs = dir.resolve("runs");
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, """
                overrides: {train.steps: 3}
                grid:
                  compress.bits: [1, 4]
                  seed: [1, 2]
                sweep:
                  runs_dir: %1$s
                  baseline_command: [sh, -c, "sleep 2; date +%%s%%N > %2$s/baseline.end"]
                  command:
                    - sh
                    - -c
                    - |
                      start=$(date +%%s%%N)
                      [ -e %2$s/baseline.end ] || exit 5
                      if [ "$MTC_RUN_NAME" = bits4-seed2 ] && [ ! -e %2$s/fixed ]; then echo failing on purpose; exit 4; fi
                      echo "$MTC_RUN_NAME $OMP_NUM_THREADS $*" > "$MTC_RUN_DIR/out.txt"
                      echo "$start" > "$MTC_RUN_DIR/start"
                      printf '{"bleu": 1.5, "run": "%%s"}' "$MTC_RUN_NAME" > "$MTC_RUN_DIR/metrics.json"
                    - sh
                    - "{overrides}"
                  slurm: {time: "00:05:00", mem: 100M, cpus_per_task: 1, throttle: 2}
                """.formatted(runs, dir));

        assertEquals(0, Main.execute("sweep", "submit", yaml.toString(), "--executor", "slurm"));
        SweepSpec spec = SweepSpec.load(yaml);
        List<SweepRun> all = spec.runs();
        SlurmExecutor ex = new SlurmExecutor(TestPaths.projectRoot(), runs, yaml, spec.settings(), client);
        List<SlurmExecutor.Submission> subs = ex.state().submissions();
        assertEquals(List.of("baseline", "array"), subs.stream().map(SlurmExecutor.Submission::kind).toList());
        String baselineId = subs.get(0).jobId();
        String arrayId = subs.get(1).jobId();
        assertEquals(baselineId, subs.get(1).dependsOn());
        assertEquals(List.of("bits1-seed1", "bits1-seed2", "bits4-seed1", "bits4-seed2"), subs.get(1).runs());

        // while the baseline runs, submitting again submits nothing
        SlurmExecutor.SubmitResult again = ex.submit(all);
        assertEquals(null, again.arrayJobId(), "runs already queued must not be submitted twice");
        assertEquals(2, ex.state().submissions().size());

        Map<String, SlurmExecutor.RunState> states = waitUntilSettled(ex, all);
        assertEquals(Map.of("bits1-seed1", SlurmExecutor.RunState.DONE, "bits1-seed2", SlurmExecutor.RunState.DONE,
                "bits4-seed1", SlurmExecutor.RunState.DONE, "bits4-seed2", SlurmExecutor.RunState.FAILED), states);
        long baselineEnd = Long.parseLong(Files.readString(dir.resolve("baseline.end")).strip());
        for (String run : List.of("bits1-seed1", "bits1-seed2", "bits4-seed1")) {
            Path rd = runs.resolve(run);
            String bits = run.substring(4, 5);
            String seed = run.substring(run.length() - 1);
            assertEquals(run + " 1 train.steps=3 compress.bits=" + bits + " seed=" + seed + "\n",
                    Files.readString(rd.resolve("out.txt")));
            assertTrue(Long.parseLong(Files.readString(rd.resolve("start")).strip()) >= baselineEnd,
                    run + " started before the baseline job ended");
        }
        assertTrue(Files.readString(runs.resolve("bits4-seed2/sweep.log")).contains("failing on purpose"));

        Map<String, String> acct = waitForAccounting(client, arrayId, List.of(arrayId + "_0", arrayId + "_1", arrayId + "_2", arrayId + "_3"));
        assertEquals(Map.of(arrayId + "_0", "COMPLETED|0:0", arrayId + "_1", "COMPLETED|0:0",
                arrayId + "_2", "COMPLETED|0:0", arrayId + "_3", "FAILED|4:0"), acct);
        assertEquals(Map.of(baselineId, "COMPLETED|0:0"), waitForAccounting(client, baselineId, List.of(baselineId)));

        // fix the cause, resubmit: only the failed run goes again, without a new baseline job
        Files.createFile(dir.resolve("fixed"));
        assertEquals(0, Main.execute("sweep", "resubmit", yaml.toString(), "--failed"));
        subs = ex.state().submissions();
        assertEquals(3, subs.size());
        assertEquals(List.of("bits4-seed2"), subs.get(2).runs());
        assertEquals(null, subs.get(2).dependsOn());
        states = waitUntilSettled(ex, all);
        assertTrue(states.values().stream().allMatch(s -> s == SlurmExecutor.RunState.DONE), states.toString());
        assertEquals(Map.of(subs.get(2).jobId() + "_0", "COMPLETED|0:0"),
                waitForAccounting(client, subs.get(2).jobId(), List.of(subs.get(2).jobId() + "_0")));

        // everything done: submit is a no-op, collect gathers the four results
        assertEquals(0, Main.execute("sweep", "submit", yaml.toString()));
        assertEquals(3, ex.state().submissions().size());
        assertEquals(0, Main.execute("sweep", "collect", yaml.toString()));
        List<String> csv = Files.readAllLines(runs.resolve("sweep-metrics.csv"));
        assertEquals("run,bleu,compress.bits,seed,train.steps", csv.get(0));
        assertEquals(5, csv.size());
        assertEquals("bits4-seed2,1.5,4,2,3", csv.get(4));
    }

    private static Map<String, SlurmExecutor.RunState> waitUntilSettled(SlurmExecutor ex, List<SweepRun> runs)
            throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            Map<String, SlurmExecutor.RunState> states = ex.status(runs).stream().collect(Collectors.toMap(
                    SlurmExecutor.RunStatus::run, SlurmExecutor.RunStatus::state, (a, b) -> a, TreeMap::new));
            boolean settled = states.values().stream().noneMatch(s -> s == SlurmExecutor.RunState.QUEUED
                    || s == SlurmExecutor.RunState.RUNNING || s == SlurmExecutor.RunState.UNKNOWN);
            if (settled) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                fail("the sweep did not finish within 180 s: " + states);
            }
            Thread.sleep(1000);
        }
    }

    /**
     * sacct's final records (state|exit code by job id) once it has exactly the ids expected (right after a
     * one-task array ends, sacct may still list it under the plain job id for a moment).
     */
    private static Map<String, String> waitForAccounting(SlurmClient client, String jobId, List<String> ids)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Map<String, String> rows = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            rows.clear();
            for (String[] r : client.accounting(jobId)) {
                rows.put(r[0], r[1].split("\\s+")[0] + "|" + r[2]);
            }
            if (rows.keySet().equals(new java.util.TreeSet<>(ids)) && rows.values().stream().noneMatch(v -> v.startsWith("PENDING")
                    || v.startsWith("RUNNING") || v.startsWith("COMPLETING"))) {
                return rows;
            }
            Thread.sleep(1000);
        }
        fail("sacct did not record the finished tasks " + ids + " of job " + jobId + " within 60 s: " + rows);
        return rows;
    }
}
