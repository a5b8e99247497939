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
        long init = run.provenance().deriveSeed("init");
        run.provenance().addDataChecksum("train.en.gz", "abc123");
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
        assertEquals(init, ((Number) ((Map<?, ?>) prov.get("seeds")).get("init")).longValue());
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

        var other = config("experiment: demo\nseed: 5\n");
        MtcException e = assertThrows(MtcException.class, () -> RunFolder.open(results, "demo", "r2", other, 5, null));
        assertTrue(e.getMessage().contains("config hash"), e.getMessage());
    }

    @Test
    void badRunNamesAreRejected() {
        var cfg = config("experiment: demo\n");
        assertThrows(MtcException.class, () -> RunFolder.open(results, "demo", "../escape", cfg, 1, null));
        assertFalse(Files.exists(results.resolve("escape")));
    }
}
