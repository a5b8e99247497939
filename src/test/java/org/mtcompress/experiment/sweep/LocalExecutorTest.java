package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.util.Json;

/** Runs real processes (sh) through the local executor. */
class LocalExecutorTest {
    @TempDir
    Path dir;

    /** Writes its thread limit, overrides and a metrics.json; fails for the run named in FAIL_FLAG's absence. */
    private static final String SCRIPT = """
            set -e
            echo "running {run}"
            echo "$OMP_NUM_THREADS $OPENBLAS_NUM_THREADS" > "$MTC_RUN_DIR/threads.txt"
            printf '%s\\n' "$@" > "$MTC_RUN_DIR/args.txt"
            if [ "{run}" = "bits1" ] && [ ! -e "$MTC_RUN_DIR/../fixed" ]; then echo "broken on purpose" >&2; exit 7; fi
            printf '{"bleu": %s}' "$(echo "$MTC_RUN_NAME" | tr -dc 0-9)" > "{run_dir}/metrics.json"
            """;

    @Test
    void runsInParallelWithThreadLimitsRecordsFailuresAndSkipsFinishedRuns() throws IOException {
        List<SweepRun> runs = GridExpander.expand(Map.of("train.steps", 5),
                Map.of("bits", List.of(1, 4, 8)), List.of());
        Path runsDir = dir.resolve("runs");
        RunCommand cmd = new RunCommand(List.of("sh", "-c", SCRIPT, "sh", "{overrides}"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LocalExecutor ex = new LocalExecutor(dir, runsDir, dir.resolve("e.yaml"), cmd, "metrics.json", 2, 4,
                new PrintStream(progress, true)::println);
        assertEquals(2, ex.threads());
        assertTrue(progress.size() == 0);

        List<LocalExecutor.Outcome> first = ex.run(runs);
        assertEquals(List.of("bits1", "bits4", "bits8"), first.stream().map(LocalExecutor.Outcome::run).toList());
        assertEquals(LocalExecutor.Status.FAILED, first.get(0).status());
        assertEquals(7, first.get(0).exitCode());
        assertEquals(LocalExecutor.Status.DONE, first.get(1).status());
        assertEquals(LocalExecutor.Status.DONE, first.get(2).status());
        assertEquals("{\"bleu\": 8}", Files.readString(runsDir.resolve("bits8/metrics.json")));
        assertEquals("2 2\n", Files.readString(runsDir.resolve("bits4/threads.txt")));
        assertEquals("train.steps=5\nbits=4\n", Files.readString(runsDir.resolve("bits4/args.txt")));
        assertTrue(Files.readString(runsDir.resolve("bits1/sweep.log")).contains("broken on purpose"));
        Map<?, ?> status = Json.readFile(runsDir.resolve("bits1/sweep-status.json"), Map.class);
        assertEquals("FAILED", status.get("status"));
        assertEquals(7, status.get("exit_code"));
        assertFalse(Files.exists(runsDir.resolve("bits1/metrics.json")));

        assertTrue(progress.toString().contains("] bits1: failed in "), progress.toString());
        assertTrue(progress.toString().contains("[3/3] "), progress.toString());
        // second pass: the finished runs are skipped, the failed one runs again and now succeeds
        Files.createFile(runsDir.resolve("fixed"));
        List<LocalExecutor.Outcome> second = ex.run(runs);
        assertEquals(List.of(LocalExecutor.Status.DONE, LocalExecutor.Status.SKIPPED, LocalExecutor.Status.SKIPPED),
                second.stream().map(LocalExecutor.Outcome::status).toList());
        assertEquals(1, Files.readString(runsDir.resolve("bits4/sweep.log")).lines()
                .filter(l -> l.equals("running bits4")).count(), "a finished run must not run twice");
    }

    @Test
    void aCommandThatExitsZeroWithoutTheDoneFileFailsAndAMissingProgramToo() {
        List<SweepRun> runs = List.of(new SweepRun("a", List.of()));
        LocalExecutor quiet = new LocalExecutor(dir, dir, dir.resolve("e.yaml"), new RunCommand(List.of("true")),
                "metrics.json", 1, 2, null);
        LocalExecutor.Outcome o = quiet.run(runs).get(0);
        assertEquals(LocalExecutor.Status.FAILED, o.status());
        assertTrue(o.message().startsWith("finished without writing metrics.json"), o.message());

        LocalExecutor missing = new LocalExecutor(dir, dir, dir.resolve("e.yaml"),
                new RunCommand(List.of("/no/such/program")), "metrics.json", 1, 2, null);
        assertEquals(LocalExecutor.Status.FAILED, missing.run(runs).get(0).status());
    }

    @Test
    void threadsPerRun() {
        assertEquals(1, LocalExecutor.threadsPerRun(2, 4));
        assertEquals(8, LocalExecutor.threadsPerRun(16, 2));
        assertEquals(2, LocalExecutor.threadsPerRun(5, 2));
    }
}
