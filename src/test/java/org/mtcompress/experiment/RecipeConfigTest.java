package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.compress.KMeansSpec;
import org.mtcompress.compress.PruningSpec;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.util.MtcException;

/** Variants as recipes: the stages: syntax, presets and validation per stage, the plan, and unchanged hashes. */
class RecipeConfigTest {
    @TempDir
    Path dir;

    private ConfigLoader.Loaded<ExperimentConfig> load(String variants) throws Exception {
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, "extends: " + TestPaths.projectRoot().resolve("configs/train/multi30k-tiny.yaml") + "\n"
                + "experiment: r\nseed: 1\nvariants:\n" + variants);
        return ExperimentConfig.load(f, List.of());
    }

    @Test
    void stagesNamePresetsWithOverridesAndEachCarryTheirRetraining() throws Exception {
        VariantSpec v = load("""
                  - name: deep
                    stages:
                      - compressor: {use: prune-50-80, pruning: {rounds: 2, steps_per_round: 3}}
                        retrain: {steps: 8, warmup_steps: 2}
                      - compressor: {use: kmeans-4bit, bits: 3}
                        retrain: {steps: 5}
                """).value().variants().get(0);
        assertEquals(2, v.recipe().size());
        PruningSpec prune = (PruningSpec) v.recipe().get(0).compressor();
        assertEquals(0.8, prune.pruning().end());
        assertEquals(3, prune.pruning().stepsPerRound());
        assertEquals(8, v.recipe().get(0).retrain().steps());
        assertEquals(2, v.recipe().get(0).retrain().warmupSteps());
        KMeansSpec kmeans = (KMeansSpec) v.recipe().get(1).compressor();
        assertEquals(3, kmeans.bits());
        assertEquals(ScopePreset.ALL, kmeans.scope().preset());
        assertEquals(5, v.recipe().get(1).retrain().steps());
        assertEquals(13, v.retrainSteps());
        assertEquals("prune+kmeans", v.compressorName());
        assertEquals(List.of(8L, 5L), v.pipelineStages().stream().map(s -> s.retrainSteps()).toList());
    }

    @Test
    void validationAppliesToEachStage() {
        // the pruning schedule (2 rounds of 3 steps) must end before the stage's own 4 retraining steps do
        MtcException e = assertThrows(MtcException.class, () -> load("""
                  - name: deep
                    stages:
                      - compressor: {use: prune-50-80, pruning: {rounds: 2, steps_per_round: 3}}
                        retrain: {steps: 4}
                      - compressor: {use: kmeans-4bit}
                        retrain: {steps: 50}
                """));
        assertTrue(e.getMessage().contains("stage 1"), e.getMessage());
        MtcException bits = assertThrows(MtcException.class, () -> load("""
                  - name: deep
                    stages:
                      - compressor: {name: kmeans, bits: 9}
                """));
        assertTrue(bits.getMessage().contains("bits"), bits.getMessage());
        MtcException both = assertThrows(MtcException.class, () -> load("""
                  - name: deep
                    compressor: {name: kmeans, bits: 4}
                    stages:
                      - compressor: {name: kmeans, bits: 2}
                """));
        assertTrue(both.getMessage().contains("either compressor"), both.getMessage());
        MtcException outer = assertThrows(MtcException.class, () -> load("""
                  - name: deep
                    retrain: {steps: 10}
                    stages:
                      - compressor: {name: kmeans, bits: 2}
                """));
        assertTrue(outer.getMessage().contains("own retrain"), outer.getMessage());
    }

    @Test
    void aOneStageVariantHashesAsBeforeStagesExisted() throws Exception {
        ConfigLoader.Loaded<ExperimentConfig> one = load("""
                  - name: k4
                    compressor: {name: kmeans, bits: 4, scope: {preset: all}}
                    retrain: {steps: 3}
                """);
        VariantSpec v = one.value().variants().get(0);
        RowConfig row = new RowConfig(one.value().baseline(), one.value().eval(), v);
        // the hash a row had before the stages key existed: the same row bound to records without that key
        OldRow old = new OldRow(one.value().baseline(), one.value().eval(),
                new OldVariant(v.name(), v.compressor(), v.retrain(), v.histogram(), v.model()));
        assertEquals(ConfigLoader.of(old, null).hash(), ConfigLoader.of(row, null).hash());

        // the same stage written as a one-element stages: list is another config, hashed as such
        ConfigLoader.Loaded<ExperimentConfig> listed = load("""
                  - name: k4
                    stages:
                      - compressor: {name: kmeans, bits: 4, scope: {preset: all}}
                        retrain: {steps: 3}
                """);
        VariantSpec w = listed.value().variants().get(0);
        assertEquals(v.pipelineStages(), w.pipelineStages());
        assertNotEquals(ConfigLoader.of(row, null).hash(),
                ConfigLoader.of(new RowConfig(listed.value().baseline(), listed.value().eval(), w), null).hash());
    }

    @Test
    void theDryRunPrintsEveryStageOfThePosterRecipes() {
        ConfigLoader.Loaded<ExperimentConfig> poster = ExperimentConfig.load(
                TestPaths.projectRoot().resolve("experiments/poster.yaml"), List.of());
        List<String> lines = RunPlan.lines(dir, poster);
        String deep = lines.stream().filter(l -> l.trim().startsWith("deep-compression")).findFirst().orElseThrow();
        assertTrue(deep.contains("stage 1: prune") && deep.contains("pruning.end=0.8")
                && deep.contains("stage 2: kmeans bits=4 on all"), deep);
        String mixed = lines.stream().filter(l -> l.trim().startsWith("mixed-precision")).findFirst().orElseThrow();
        assertTrue(mixed.contains("stage 1: kmeans bits=1 on self_attention")
                && mixed.contains("stage 2: kmeans bits=4 on all -[.*\\.self_attn\\..*]"), mixed);
    }

    /** {@link VariantSpec} as it was before recipes: no stages key. */
    record OldVariant(String name, org.mtcompress.compress.CompressorSpec compressor, VariantSpec.RetrainSettings retrain,
                      boolean histogram, Map<String, String> model) {
    }

    /** {@link RowConfig} over {@link OldVariant}. */
    record OldRow(org.mtcompress.config.RunConfig baseline, EvalSettings eval, OldVariant variant) {
    }
}
