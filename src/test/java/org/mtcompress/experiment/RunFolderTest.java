package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;

class RunFolderTest {
    @TempDir
    Path results;

    private ConfigLoader.Loaded<RunConfig> config(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", RunConfig.class);
    }

    @Test
    void newRunWritesConfigProvenanceAndLog() throws Exception {
        var cfg = config("experiment: demo\nseed: 42\ndata:\n  vocab_size: 4000\n");
        RunFolder run = RunFolder.open(results, "demo", "baseline", cfg, 42, TestPaths.projectRoot());
        long init = org.mtcompress.util.Seeds.derive(42, "init");
        run.provenance().recordSeeds("baseline/", Map.of("init", init));
        run.provenance().addDataChecksums(Map.of("train.en.gz", "abc123"));
        run.writeMetrics(Map.of("bleu", 12.5));
        run.finish();

        Path dir = results.resolve("runs/demo/baseline");
        assertEquals(dir, run.dir());
        String yaml = Files.readString(dir.resolve(RunFolder.CONFIG));
        assertTrue(yaml.contains("vocab_size: 4000") && yaml.contains(cfg.hash()), yaml);

        @SuppressWarnings("unchecked")
        Map<String, Object> prov = Json.readFile(dir.resolve(RunFolder.PROVENANCE), Map.class);
        assertEquals(cfg.hash(), prov.get("config_hash"));
        assertEquals(42, ((Number) prov.get("root_seed")).intValue());
        assertEquals(init, ((Number) ((Map<?, ?>) prov.get("seeds")).get("baseline/init")).longValue());
        assertEquals("abc123", ((Map<?, ?>) prov.get("data_checksums")).get("train.en.gz"));
        assertEquals("finished", prov.get("status"));
        assertTrue(((String) prov.get("git_commit")).matches("[0-9a-f]{40}|unknown"), String.valueOf(prov.get("git_commit")));
        assertTrue(prov.containsKey("git_dirty"));
        Map<?, ?> machine = (Map<?, ?>) prov.get("machine");
        assertEquals(System.getProperty("java.version"), machine.get("java_version"));
        assertTrue(((Number) machine.get("cpu_cores")).intValue() >= 1);
        assertTrue(((Map<?, ?>) prov.get("libraries")).containsKey("org.nd4j:nd4j-native"));
        assertTrue(prov.containsKey("start_time") && prov.containsKey("end_time"));
        assertTrue(((Number) prov.get("peak_rss_mb")).longValue() > 0);
        assertEquals(12.5, ((Number) Json.readFile(dir.resolve(RunFolder.METRICS), Map.class).get("bleu")).doubleValue());
        assertTrue(Files.readString(dir.resolve(RunFolder.LOG)).contains("finished"));
        assertTrue(RunFolder.isFinished(dir));
    }

    @Test
    void finishedRunIsNeverOverwritten() throws Exception {
        var cfg = config("experiment: demo\n");
        RunFolder.open(results, "demo", "r1", cfg, 1, null).finish();
        Path metrics = results.resolve("runs/demo/r1/provenance.json");
        String before = Files.readString(metrics);
        MtcException e = assertThrows(MtcException.class, () -> RunFolder.open(results, "demo", "r1", cfg, 1, null));
        assertTrue(e.getMessage().contains("already finished"), e.getMessage());
        assertEquals(before, Files.readString(metrics));
    }

    @Test
    void unfinishedRunResumesWithTheSameConfigOnly() throws Exception {
        var cfg = config("experiment: demo\n");
        RunFolder first = RunFolder.open(results, "demo", "r2", cfg, 1, null);
        first.log("step 100");
        // the process dies here: no finish()
        RunFolder again = RunFolder.open(results, "demo", "r2", cfg, 1, null);
        assertTrue(again.resumed());
        String log = Files.readString(again.dir().resolve(RunFolder.LOG));
        assertTrue(log.contains("step 100") && log.contains("resumed"), log);
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = Json.readFile(again.dir().resolve(RunFolder.PROVENANCE), Map.class);
        assertEquals(1, ((List<?>) prov.get("resumed_at")).size());
        // the killed first attempt is recorded as interrupted; the second one is running
        List<?> attempts = (List<?>) prov.get("attempts");
        assertEquals(2, attempts.size(), attempts.toString());
        assertEquals("interrupted", ((Map<?, ?>) attempts.get(0)).get("status"));
        assertEquals("running", ((Map<?, ?>) attempts.get(1)).get("status"));

        var other = config("experiment: demo\nseed: 5\n");
        MtcException e = assertThrows(MtcException.class, () -> RunFolder.open(results, "demo", "r2", other, 5, null));
        assertTrue(e.getMessage().contains("config hash"), e.getMessage());
    }

    @Test
    void topLevelStatusAndErrorDescribeTheLastAttemptOnly() throws Exception {
        var cfg = config("experiment: demo\n");
        RunFolder first = RunFolder.open(results, "demo", "r3", cfg, 1, null);
        first.fail(new IllegalStateException("spm_train not found"));
        Path prov = first.dir().resolve(RunFolder.PROVENANCE);
        Map<?, ?> failed = Json.readFile(prov, Map.class);
        assertEquals("failed", failed.get("status"));
        assertEquals("spm_train not found", failed.get("error"));

        RunFolder second = RunFolder.open(results, "demo", "r3", cfg, 1, null);
        Map<?, ?> running = Json.readFile(prov, Map.class);
        assertEquals("running", running.get("status"));
        assertFalse(running.containsKey("error"), "an earlier attempt's error is not this attempt's: " + running);
        assertFalse(running.containsKey("end_time"), running.toString());
        second.finish();

        Map<?, ?> done = Json.readFile(prov, Map.class);
        assertEquals("finished", done.get("status"));
        assertFalse(done.containsKey("error"), done.toString());
        List<?> attempts = (List<?>) done.get("attempts");
        assertEquals(2, attempts.size(), attempts.toString());
        Map<?, ?> a0 = (Map<?, ?>) attempts.get(0);
        Map<?, ?> a1 = (Map<?, ?>) attempts.get(1);
        assertEquals("failed", a0.get("status"));
        assertEquals("spm_train not found", a0.get("error"));
        assertTrue(a0.get("start") != null && a0.get("end") != null, a0.toString());
        assertEquals("finished", a1.get("status"));
        assertEquals(null, a1.get("error"));
        assertEquals(a1.get("end"), done.get("end_time"));
        assertEquals(a0.get("start"), done.get("start_time"), "start_time is the first attempt's");
    }

    @Test
    void badRunNamesAreRejected() {
        var cfg = config("experiment: demo\n");
        assertThrows(MtcException.class, () -> RunFolder.open(results, "demo", "../escape", cfg, 1, null));
        assertFalse(Files.exists(results.resolve("escape")));
    }
}
