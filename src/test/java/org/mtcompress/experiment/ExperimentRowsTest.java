package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.TrainRun;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.util.MtcException;

/** How an experiment file's variants and grid become the runner's rows (no training). */
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
    void aGridTemplateCanBeARecipeWhoseStagesTheGridChangesByPosition() throws Exception {
        Path f = write("""
                variant:
                  stages:
                    - compressor: {use: prune-50-80, pruning: {over_retraining: true}}
                      retrain: {steps: 60}
                    - compressor: {name: kmeans, bits: 4, scope: {preset: all}}
                      retrain: {steps: 10}
                grid:
                  variant.stages.1.compressor.bits: [2, 4]
                  variant.stages.0.retrain.steps: [60, 80]
                """);
        List<ExperimentRunner.Row> rows = ExperimentRunner.rows(ExperimentConfig.load(f, List.of()));
        assertEquals(List.of("original", "bits2-steps60", "bits2-steps80", "bits4-steps60", "bits4-steps80"),
                rows.stream().map(ExperimentRunner.Row::name).toList());
        VariantSpec v = rows.get(2).variant();
        assertEquals("prune+kmeans", v.compressorName());
        assertEquals(2, ((org.mtcompress.compress.KMeansSpec) v.stages().get(1).compressor()).bits());
        assertEquals(80, v.stages().get(0).retrain().steps());
        assertEquals(10, v.stages().get(1).retrain().steps());
        assertEquals(List.of("variant.stages.1.compressor.bits=2", "variant.stages.0.retrain.steps=80"),
                rows.get(2).overrides());
        // the same key in two stages is labelled by its stage
        assertEquals(List.of("original", "stages_0_retrain_steps60-stages_1_retrain_steps10",
                        "stages_0_retrain_steps60-stages_1_retrain_steps20"),
                ExperimentRunner.rows(ExperimentConfig.load(write("""
                        variant:
                          stages:
                            - {compressor: {use: prune-50-80, pruning: {over_retraining: true}}, retrain: {steps: 60}}
                            - {compressor: {name: kmeans, bits: 4, scope: {preset: all}}, retrain: {steps: 10}}
                        grid:
                          variant.stages.0.retrain.steps: [60]
                          variant.stages.1.retrain.steps: [10, 20]
                        """), List.of())).stream().map(ExperimentRunner.Row::name).toList());
    }

    @Test
    void aGridRunWhoseStagesOverlapIsRefusedWhenTheRowsAreBuilt() throws Exception {
        Path f = write("""
                variant:
                  stages:
                    - compressor: {name: kmeans, bits: 2, scope: {preset: attention}}
                    - compressor: {name: kmeans, bits: 4, scope: {preset: ffn}}
                grid: {variant.stages.1.compressor.scope.preset: [ffn, all]}
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ExperimentRunner.rows(ExperimentConfig.load(f, List.of())));
        assertTrue(e.getMessage().startsWith(f + ":7: key 'variant.stages[1].compressor.scope': grid run "
                + "'preset_all': stage 2 (kmeans) would compress"), e.getMessage());
    }

    @Test
    void aGridPositionPastTheRecipeOrATemplateWithBothFormsIsOneLine() throws Exception {
        Path past = write("""
                variant:
                  stages: [{compressor: {name: kmeans, bits: 4, scope: {preset: all}}}]
                grid: {variant.stages.1.compressor.bits: [2]}
                """);
        MtcException e = assertThrows(MtcException.class,
                () -> ExperimentRunner.rows(ExperimentConfig.load(past, List.of())));
        assertTrue(e.getMessage().contains("key 'variant.stages' has 1 items (positions 0 to 0), no item 1"),
                e.getMessage());
        Path both = write("""
                variant:
                  compressor: {name: kmeans, bits: 4, scope: {preset: all}}
                  stages: [{compressor: {name: kmeans, bits: 4, scope: {preset: all}}}]
                grid: {seed: [1]}
                """);
        e = assertThrows(MtcException.class, () -> ExperimentConfig.load(both, List.of()));
        assertTrue(e.getMessage().startsWith(both + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("give either compressor: (one stage) or stages:, not both"), e.getMessage());
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
        // the file's own rows keep the file's config; a grid run's baseline follows its seed: it is another
        // baseline (content address), trained from other initial weights, batch order and dropout masks
        assertEquals(1, rows.get(1).cfg().seed());
        RunConfig seed1 = rows.get(0).cfg().baseline();
        RunConfig seed5 = rows.get(3).cfg().baseline();
        assertEquals(ConfigLoader.of(seed1, null).hash(), ConfigLoader.of(rows.get(2).cfg().baseline(), null).hash());
        assertNotEquals(ConfigLoader.of(seed1, null).hash(), ConfigLoader.of(seed5, null).hash());
        assertEquals(5, seed5.seed());
        TrainSeeds s1 = TrainRun.seeds(seed1);
        TrainSeeds s5 = TrainRun.seeds(seed5);
        assertEquals(TrainSeeds.of(5), s5);
        assertNotEquals(s1.init(), s5.init());
        assertNotEquals(s1.dataOrder(), s5.dataOrder());
        assertNotEquals(s1.dropout(), s5.dropout());
        String name = "encoder.layers.0.fc1.weight";
        float[] w1 = Transformer.create(seed1.model(), 64, 0, 2, 3, s1.init()).parameters().read(name);
        float[] w5 = Transformer.create(seed5.model(), 64, 0, 2, 3, s5.init()).parameters().read(name);
        assertFalse(Arrays.equals(w1, w5), "seed 5's baseline starts from seed 1's weights");
        // bootstrap resampling follows the row's seed as well
        assertNotEquals(rows.get(1).cfg().eval().bootstrapSeed(1), r.cfg().eval().bootstrapSeed(r.cfg().seed()));
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
