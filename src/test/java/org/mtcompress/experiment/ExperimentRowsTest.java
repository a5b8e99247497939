package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.util.MtcException;

/** How an experiment file's variants and grid become the runner's rows (no training: only config). */
class ExperimentRowsTest {
    @TempDir
    Path dir;

    private Path write(String body) throws Exception {
        Path f = dir.resolve("g.yaml");
        Files.writeString(f, "extends: " + TestPaths.projectRoot().resolve("configs/train/multi30k-tiny.yaml") + "\n"
                + "experiment: g\nseed: 1\n" + body);
        return f;
    }

    @Test
    void gridRunsApplyTheirOverridesToTheTemplateAndToTheExperiment() throws Exception {
        Path f = write("""
                variants:
                  - {name: kmeans8, compressor: {name: kmeans, bits: 8, scope: {preset: all}}}
                variant: {compressor: {name: kmeans, bits: 2, scope: {preset: all}}, retrain: {steps: 3}}
                overrides: {eval.beam: 2}
                grid:
                  variant.compressor.bits: [1, 4]
                  seed: [1, 5]
                sweep: {slurm: {cpus_per_task: 2}}
                """);
        ConfigLoader.Loaded<ExperimentConfig> loaded = ExperimentConfig.load(f, List.of());
        List<ExperimentRunner.Row> rows = ExperimentRunner.rows(loaded);
        assertEquals(List.of("original", "kmeans8", "bits1-seed1", "bits1-seed5", "bits4-seed1", "bits4-seed5"),
                rows.stream().map(ExperimentRunner.Row::name).toList());
        ExperimentRunner.Row r = rows.get(5);
        assertEquals(List.of("eval.beam=2", "variant.compressor.bits=4", "seed=5"), r.overrides());
        assertEquals(4, ((org.mtcompress.compress.KMeansSpec) r.variant().compressor()).bits());
        assertEquals(ScopePreset.ALL, r.variant().compressor().scope().preset());
        assertEquals(3, r.variant().retrain().steps());
        assertEquals("bits4-seed5", r.variant().name());
        assertEquals(5, r.cfg().seed());
        assertEquals(2, r.cfg().eval().beam());
        // the file's own rows keep the file's config; a grid run's baseline follows its seed
        assertEquals(1, rows.get(1).cfg().seed());
        assertEquals(ConfigLoader.of(rows.get(0).cfg().baseline(), null).hash(),
                ConfigLoader.of(rows.get(2).cfg().baseline(), null).hash());
        assertTrue(!ConfigLoader.of(rows.get(0).cfg().baseline(), null).hash()
                .equals(ConfigLoader.of(rows.get(3).cfg().baseline(), null).hash()));
    }

    @Test
    void unknownOnlyNameAndMissingTemplateAndBadGridKeyAreOneLineErrors() throws Exception {
        Path f = write("grid: {variant.compressor.bits: [1, 4]}\n");
        MtcException e = assertThrows(MtcException.class, () -> ExperimentRunner.rows(ExperimentConfig.load(f, List.of())));
        assertTrue(e.getMessage().contains("need a 'variant:' section"), e.getMessage());

        Path g = write("variant: {compressor: {name: kmeans, bits: 2, scope: {preset: all}}}\n"
                + "grid: {variant.compressor.nbits: [1, 4]}\n");
        e = assertThrows(MtcException.class, () -> ExperimentRunner.rows(ExperimentConfig.load(g, List.of())));
        assertTrue(e.getMessage().contains("grid run 'nbits1'") && e.getMessage().contains("nbits"), e.getMessage());

        Path h = write("variant: {compressor: {name: kmeans, bits: 2, scope: {preset: all}}}\n"
                + "grid: {variant.compressor.bits: [1, 4]}\n");
        e = assertThrows(MtcException.class, () -> new ExperimentRunner(dir.resolve("results"), null, l -> { })
                .run(ExperimentConfig.load(h, List.of()), "bits3"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("no row 'bits3' in ") && e.getMessage().contains("bits1, bits4"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("results/runs")), "nothing may be trained for an unknown row");
    }
    @Test
    void aFinishedRowWhoseConfigChangedIsReportedNotReused() throws Exception {
        Path f = write("variants:\n  - {name: kmeans8, compressor: {name: kmeans, bits: 8, scope: {preset: all}}}\n");
        Path results = dir.resolve("results");
        // a finished run folder of kmeans8 made under another config (what a run of the file with bits: 4 left)
        Path row = results.resolve("runs/g/kmeans8");
        Files.createDirectories(row);
        Files.writeString(row.resolve(RunFolder.PROVENANCE), "{\"config_hash\": \"0123456789abcdef\", \"status\": \"finished\"}");
        Files.writeString(row.resolve("metrics.json"), "{\"kept\": true}");
        List<String> lines = new java.util.ArrayList<>();
        ExperimentRunner.Outcome out = new ExperimentRunner(results, null, lines::add)
                .run(ExperimentConfig.load(f, List.of()), "kmeans8");
        assertEquals(1, out.failed());
        assertEquals(0, out.reused());
        String line = lines.get(0);
        assertTrue(line.contains("kmeans8: failed: finished earlier with another config (hash 0123456789ab, now ")
                && line.contains("delete " + row), line);
        assertEquals("{\"kept\": true}", Files.readString(row.resolve("metrics.json")), "the old results are kept");
        assertTrue(!Files.exists(results.resolve("runs/baselines")), "nothing may be trained for a stale row");
    }
}
