package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.util.Seeds;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one retraining and seed rule of every stage, and the stored form of a pruned then quantized tensor (known answers). */
class StageRetrainingTest {
    @Test
    void aStageRetrainsWithTheRunsRecipeChangedOnlyInLearningRateWarmUpAndSteps() {
        TrainConfig run = new TrainConfig(7e-4, 4000, 0.9, 0.98, 1e-9, 1.0, 0.1, 20000, 30, 100, 4096, 128, 500, true,
                5, 1, 0.6);
        TrainConfig stage = StageRetraining.config(run, new CompressionPipeline.Stage(
                CompressorSpec.defaults("kmeans", 4), 40, 3e-4, 10));
        assertEquals(3e-4, stage.lr());
        assertEquals(10, stage.warmupSteps());
        assertEquals(40, stage.maxSteps());
        assertEquals(0.0, stage.maxMinutes());
        assertEquals(0, stage.validateEvery());
        assertEquals(0, stage.patience());
        assertEquals(run.labelSmoothing(), stage.labelSmoothing());
        assertEquals(run.tokenBudget(), stage.tokenBudget());
        assertEquals(run.clipNorm(), stage.clipNorm());
    }

    @Test
    void stageSeedsDeriveFromTheRootSeedByVariantAndStage() {
        assertEquals("retrain:kmeans4/", StageRetraining.seedPrefix("kmeans4", 0));
        assertEquals("retrain:deep/stage2/", StageRetraining.seedPrefix("deep", 1));
        TrainSeeds first = TrainSeeds.of(1, StageRetraining.seedPrefix("deep", 0));
        TrainSeeds second = TrainSeeds.of(1, StageRetraining.seedPrefix("deep", 1));
        assertNotEquals(first.dataOrder(), second.dataOrder());
        assertNotEquals(first.dataOrder(), TrainSeeds.of(2, StageRetraining.seedPrefix("deep", 0)).dataOrder());
        assertEquals(first, TrainSeeds.of(1, "retrain:deep/"));
    }

    @Test
    void compressorSeedsDeriveFromTheRootSeedByVariantStageAndSeedSetting() {
        List<CompressionPipeline.Stage> recipe = List.of(
                new CompressionPipeline.Stage(CompressorSpec.parse("{name: prune}"), 10, 3e-4, 5),
                new CompressionPipeline.Stage(CompressorSpec.parse("{name: kmeans, bits: 4, kmeans: {init: kmeans_pp}}"),
                        10, 3e-4, 5));
        Map<String, Long> named = new LinkedHashMap<>();
        List<CompressionPipeline.Stage> seeded = StageRetraining.seeded(recipe, 1, "deep", named);

        // pruning draws nothing; k-means' seed 42 becomes the root seed's stream of that name
        assertEquals(recipe.get(0), seeded.get(0));
        long derived = Seeds.derive(1, "compress:deep/stage2/seed42");
        assertEquals(Map.of("compress:deep/stage2/seed42", derived), named);
        assertEquals(derived, ((KMeansSpec) seeded.get(1).compressor()).seed());
        assertEquals(recipe.get(1).retrainSteps(), seeded.get(1).retrainSteps());
        assertEquals(recipe.get(1).lr(), seeded.get(1).lr());

        // another root seed, variant, stage or seed setting is another stream; the same ones the same stream
        long again = ((KMeansSpec) StageRetraining.seeded(recipe, 1, "deep", new LinkedHashMap<>()).get(1).compressor()).seed();
        assertEquals(derived, again);
        assertNotEquals(derived, seedOf(StageRetraining.seeded(recipe, 2, "deep", new LinkedHashMap<>()).get(1)));
        assertNotEquals(derived, seedOf(StageRetraining.seeded(recipe, 1, "other", new LinkedHashMap<>()).get(1)));
        assertNotEquals(derived, seedOf(StageRetraining.seeded(recipe.subList(1, 2), 1, "deep", new LinkedHashMap<>()).get(0)));
        List<CompressionPipeline.Stage> seven = List.of(new CompressionPipeline.Stage(
                CompressorSpec.parse("{name: bsflex, seed: 7}"), 0, 3e-4, 5));
        Map<String, Long> sevenNamed = new LinkedHashMap<>();
        long bs = ((BinarySpec) StageRetraining.seeded(seven, 1, "bs", sevenNamed).get(0).compressor()).seed();
        assertEquals(Seeds.derive(1, "compress:bs/seed7"), bs);
        assertEquals(Map.of("compress:bs/seed7", bs), sevenNamed);
    }

    private static long seedOf(CompressionPipeline.Stage stage) {
        return ((KMeansSpec) stage.compressor()).seed();
    }

    @Test
    void maskedCodebookTensorStoresMaskIndicesAndCodebook() throws Exception {
        // 2x5 tensor, kept positions 1, 4, 7, 8; 2-bit indices into 3 centroids
        MaskedCodebookTensor t = new MaskedCodebookTensor(new long[] {2, 5}, 2, new float[] {-0.5f, 0.25f, 1f}, null,
                new int[] {1, 4, 7, 8}, new int[] {0, 2, 1, 2});
        assertArrayEquals(new float[] {0, -0.5f, 0, 0, 1f, 0, 0, 0.25f, 1f, 0}, t.decode());
        assertEquals(new StorageBits(8, 96, 10, 0), t.bits());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writePayload(new DataOutputStream(bytes));
        MaskedCodebookTensor back = MaskedCodebookTensor.read(new long[] {2, 5},
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), Map.of());
        assertArrayEquals(t.decode(), back.decode());
        assertArrayEquals(t.positions(), back.positions());
        assertEquals(t.bits(), back.bits());
        assertThrows(IllegalArgumentException.class, () -> new MaskedCodebookTensor(new long[] {4}, 1,
                new float[] {0f, 1f}, null, new int[] {2, 1}, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> new MaskedCodebookTensor(new long[] {4}, 1,
                new float[] {0f, 1f}, null, new int[] {1}, new int[] {2}));
    }
}
