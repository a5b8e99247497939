package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mtcompress.cli.Main;
import org.mtcompress.TestPaths;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.util.Json;
import tech.tablesaw.api.Table;

/**
 * A 4-run sweep of a tiny real experiment (d_model 32, 1+1 layers, vocabulary 500, 6 training steps, 20 test
 * sentences of the real multi30k) on a real Slurm (the single-node cluster of scripts/slurm/start.sh): the baseline
 * job (the original row, which trains the baseline) first, the array of {@code mtc run --only RUN} tasks after it,
 * one run failing for real (its folder was started with another config), resubmission of only that run, accounting
 * checked with sacct, idempotent submits, and the collected table checked against the runs' size reports.
 * Needs {@code target/lib} (the package phase; slow tests run after it).
 */
@Tag("slow")
class SlurmSweepTest {
    private static final String START = "no Slurm cluster answers (sinfo: %s). Start the single-node test cluster"
            + " as root with scripts/slurm/start.sh (and stop it afterwards with scripts/slurm/stop.sh)";

    /** The tiny experiment: a grid of k-means bits x scope over one template variant. */
    static String tinyExperiment(Path root, String command) {
        return """
                extends: %1$s/configs/model/tiny.yaml
                experiment: tinysweep
                seed: 3
                data: {dataset: multi30k, vocab_size: 500, mirrors: [%2$s]}
                model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.0}
                train: {lr: 0.003, warmup_steps: 3, max_steps: 6, token_budget: 1000, validate_every: 0,
                        validation_bleu: false, patience: 0, beam: 1}
                eval: {beam: 1, max_sentences: 20, bootstrap: 50}
                variant:
                  compressor: {name: kmeans, bits: 2, scope: {preset: all}}
                  retrain: {steps: 2, warmup_steps: 1}
                grid:
                  variant.compressor.bits: [1, 4]
                  variant.compressor.scope.preset: [all, self_attention]
                sweep:
                  command: %3$s
                  slurm: {time: "00:10:00", cpus_per_task: 1, throttle: 2}
                """.formatted(root, TestPaths.shared().resolve("multi30k"), command);
    }

    /** {@code mtc run} through java with the packaged class path, as a YAML flow list. */
    static String javaCommand(Path root) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return "[" + java + ", -Xmx1g, -Dorg.bytedeco.javacpp.maxbytes=2G, -cp, '" + root + "/target/classes:" + root
                + "/target/lib/*', org.mtcompress.cli.Main, run, '{experiment}', --only, '{run}', --results, '{results}']";
    }

    static final List<String> RUNS = List.of("bits1-preset_all", "bits1-preset_self_attention", "bits4-preset_all",
            "bits4-preset_self_attention");

    @Test
    void fourTaskSweepOfATinyExperimentThroughFailureResubmissionAndCollect() throws Exception {
        SlurmClient client = new SlurmClient(30);
        SlurmClient.Result info = new SlurmClient(10).exec(List.of("sinfo", "-h"));
        if (info.exitCode() != 0) {
            fail(String.format(START, (info.stderr() + info.stdout()).strip()));
        }
        Path root = TestPaths.projectRoot();
        assertTrue(Files.isDirectory(root.resolve("target/lib")), "target/lib is missing: run through mvn verify");
        Files.createDirectories(root.resolve("target"));
        Path dir = Files.createTempDirectory(root.resolve("target"), "slurm-sweep-");
        Path results = dir.resolve("results");
        Path runs = results.resolve("runs/tinysweep");
        Path yaml = dir.resolve("tinysweep.yaml");
        Files.writeString(yaml, tinyExperiment(root, javaCommand(root)));
        String res = "--results=" + results;

        // a real failure: this run's folder was started with another config, so the runner refuses it (exit 2)
        Path broken = runs.resolve("bits4-preset_self_attention");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("provenance.json"), "{\"config_hash\": \"0000\", \"status\": \"running\"}");

        assertEquals(0, Main.execute("sweep", "submit", yaml.toString(), "--executor", "slurm", res));
        SweepSpec spec = SweepSpec.load(yaml);
        SweepSpec.Settings settings = spec.settings().resolve(results, List.of());
        List<SweepRun> all = RUNS.stream().map(r -> new SweepRun(r, List.of())).toList();
        SlurmExecutor ex = new SlurmExecutor(Path.of("").toAbsolutePath(), runs, yaml, settings, client);
        List<SlurmExecutor.Submission> subs = ex.state().submissions();
        assertEquals(List.of("baseline", "array"), subs.stream().map(SlurmExecutor.Submission::kind).toList());
        String baselineId = subs.get(0).jobId();
        String arrayId = subs.get(1).jobId();
        assertEquals(baselineId, subs.get(1).dependsOn());
        assertEquals(RUNS, subs.get(1).runs());
        String script = Files.readString(Path.of(subs.get(1).script()));
        assertTrue(script.contains("'--only' 'bits1-preset_all'"), script);

        // while the baseline runs, submitting again submits nothing
        assertEquals(0, Main.execute("sweep", "submit", yaml.toString(), res));
        assertEquals(2, ex.state().submissions().size(), "runs already queued must not be submitted twice");

        Map<String, SlurmExecutor.RunState> states = waitUntilSettled(ex, all, 300);
        Map<String, SlurmExecutor.RunState> want = new TreeMap<>();
        RUNS.forEach(r -> want.put(r, SlurmExecutor.RunState.DONE));
        want.put("bits4-preset_self_attention", SlurmExecutor.RunState.FAILED);
        assertEquals(want, states, () -> logs(runs));
        assertTrue(Files.readString(broken.resolve("sweep.log")).contains("was started with config hash 0000"));
        assertTrue(org.mtcompress.experiment.RunFolder.isFinished(runs.resolve("original")), "the baseline job's row");

        Map<String, String> acct = waitForAccounting(client, arrayId, List.of(arrayId + "_0", arrayId + "_1",
                arrayId + "_2", arrayId + "_3"));
        assertEquals(Map.of(arrayId + "_0", "COMPLETED|0:0", arrayId + "_1", "COMPLETED|0:0",
                arrayId + "_2", "COMPLETED|0:0", arrayId + "_3", "FAILED|2:0"), acct);
        assertEquals(Map.of(baselineId, "COMPLETED|0:0"), waitForAccounting(client, baselineId, List.of(baselineId)));

        // fix the cause, resubmit: only the failed run goes again, without a new baseline job (its row is done)
        Files.delete(broken.resolve("provenance.json"));
        assertEquals(0, Main.execute("sweep", "resubmit", yaml.toString(), "--failed", res));
        subs = ex.state().submissions();
        assertEquals(3, subs.size());
        assertEquals(List.of("bits4-preset_self_attention"), subs.get(2).runs());
        assertEquals(null, subs.get(2).dependsOn());
        Map<String, SlurmExecutor.RunState> after = waitUntilSettled(ex, all, 180);
        assertTrue(after.values().stream().allMatch(s -> s == SlurmExecutor.RunState.DONE), () -> after + logs(runs));

        // everything done: submit and resubmit are no-ops; collect writes the table and charts as mtc run does
        assertEquals(0, Main.execute("sweep", "submit", yaml.toString(), res));
        assertEquals(0, Main.execute("sweep", "resubmit", yaml.toString(), "--failed", res));
        assertEquals(3, ex.state().submissions().size());
        assertEquals(0, Main.execute("sweep", "collect", yaml.toString(), res));
        Path out = results.resolve("runs/tinysweep");
        for (String f : List.of("table.csv", "table.md", "bleu_vs_ratio.png", "bleu_bars.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Table t = Table.read().csv(out.resolve("table.csv").toFile());
        assertEquals(ComparisonTable.COLUMNS, t.columnNames());
        List<String> variants = new ArrayList<>();
        t.column("variant").forEach(v -> variants.add(String.valueOf(v)));
        List<String> rows = new ArrayList<>(List.of("original"));
        rows.addAll(RUNS);
        assertEquals(rows, variants);
        for (String run : RUNS) {
            Map<?, ?> size = (Map<?, ?>) Json.readFile(runs.resolve(run).resolve("metrics.json"), Map.class).get("size");
            int i = variants.indexOf(run);
            double ratio = ((Number) size.get("ratio")).doubleValue();
            assertEquals(ratio, ((Number) t.column("ratio (model)").get(i)).doubleValue(), 0.01, run);
            assertTrue(ratio > 1.0, run + " ratio " + ratio);
            assertTrue(Files.readString(runs.resolve(run).resolve("size.txt")).length() > 0);
        }
        double r1 = ((Number) t.column("ratio (model)").get(variants.indexOf("bits1-preset_all"))).doubleValue();
        double r4 = ((Number) t.column("ratio (model)").get(variants.indexOf("bits4-preset_all"))).doubleValue();
        assertTrue(r1 > r4, "1-bit must compress more than 4-bit: " + r1 + " vs " + r4);
    }

    private static String logs(Path runs) {
        StringBuilder b = new StringBuilder();
        for (String r : RUNS) {
            try {
                b.append("\n--- ").append(r).append(":\n").append(Files.readString(runs.resolve(r).resolve("sweep.log")));
            } catch (java.io.IOException e) {
                b.append("\n--- ").append(r).append(": no sweep.log");
            }
        }
        return b.toString();
    }

    static Map<String, SlurmExecutor.RunState> waitUntilSettled(SlurmExecutor ex, List<SweepRun> runs, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            Map<String, SlurmExecutor.RunState> states = ex.status(runs).stream().collect(Collectors.toMap(
                    SlurmExecutor.RunStatus::run, SlurmExecutor.RunStatus::state, (a, b) -> a, TreeMap::new));
            boolean settled = states.values().stream().noneMatch(s -> s == SlurmExecutor.RunState.QUEUED
                    || s == SlurmExecutor.RunState.RUNNING || s == SlurmExecutor.RunState.UNKNOWN);
            if (settled) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                fail("the sweep did not finish within " + seconds + " s: " + states);
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
