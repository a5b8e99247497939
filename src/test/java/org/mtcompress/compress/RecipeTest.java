package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.Retraining;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recipes of several stages on a tiny real Transformer: prune then k-means (Deep Compression) keeps the mask and
 * the codebook through every retraining step of both stages, its size is the sum of mask, indices and codebook,
 * and the packed .mtcz holds the composed tensors; overlapping quantizers are refused before anything changes.
 */
class RecipeTest {
    private static final int V = 20;
    private static final ModelConfig CFG = new ModelConfig(1, 1, 2, 16, 32, 0, true, true, 32, ModelConfig.Embedding.DENSE);
    private static final int BITS = 2;

    @TempDir
    Path dir;

    /** A retrainer per stage over {@code data}: a fresh trainer, the pipeline's hook, then {@code check} after it. */
    private static CompressionPipeline.Retrainers retrainers(Transformer m, List<Batch> data, List<Long> stepsSeen,
                                                             StepCheck check) {
        return (k, stage) -> (params, steps, hook) -> {
            Trainer trainer = new Trainer(m, TrainConfig.quick(1e-2, 1, 0), TrainSeeds.of(1 + k)).quiet();
            Retraining.of(trainer, epoch -> data).retrain(params, steps, (p, step) -> {
                hook.afterStep(p, step);
                check.after(k, p, step);
                stepsSeen.add(step);
            });
        };
    }

    @FunctionalInterface
    private interface StepCheck {
        void after(int stage, NamedParameters p, long step);
    }

    private static Set<Float> nonZeroValues(float[] v) {
        Set<Float> s = new HashSet<>();
        for (float x : v) {
            if (x != 0f) {
                s.add(x);
            }
        }
        return s;
    }

    @Test
    void pruneThenKMeansKeepsMaskAndCodebookThroughEveryRetrainingStep() {
        List<Batch> data = TinyData.reversal(24, 8, V, 5, 1);
        Transformer m = Transformer.create(CFG, V, 0, 2, 3, 1);
        ScopeSpec all = ScopeSpec.of(ScopePreset.ALL);
        CompressorSpec prune = new PruningSpec("prune", all,
                new PruningSettings(0.5, 0.8, 2, 2, false, PruningThreshold.PER_TENSOR));
        CompressorSpec kmeans = CompressorSpec.defaults("kmeans", BITS);
        List<CompressionPipeline.Stage> stages = List.of(new CompressionPipeline.Stage(prune, 4, 1e-2, 1),
                new CompressionPipeline.Stage(kmeans, 3, 1e-2, 1));
        List<String> scope = Scope.resolve(m.parameters(), all);
        Map<String, boolean[]> zerosAfterPruning = new HashMap<>();
        List<Long> steps = new ArrayList<>();
        CompressionPipeline.Result r = CompressionPipeline.run(m.parameters(), stages, CompressorRegistry.standard(),
                retrainers(m, data, steps, (stage, p, step) -> {
                    for (String name : scope) {
                        float[] v = p.read(name);
                        if (stage == 0 && step >= 4) {
                            // the schedule's last round (step 2) reached 80 %; it holds afterwards
                            int zeros = 0;
                            boolean[] z = new boolean[v.length];
                            for (int i = 0; i < v.length; i++) {
                                z[i] = v[i] == 0f;
                                zeros += z[i] ? 1 : 0;
                            }
                            assertEquals(Math.round(0.8 * v.length), zeros, name + " at stage 1 step " + step);
                            zerosAfterPruning.put(name, z);
                        }
                        if (stage == 1) {
                            boolean[] z = zerosAfterPruning.get(name);
                            for (int i = 0; i < v.length; i++) {
                                if (z[i]) {
                                    assertEquals(0f, v[i], name + "[" + i + "] pruned, at stage 2 step " + step);
                                }
                            }
                            assertTrue(nonZeroValues(v).size() <= 1 << BITS,
                                    name + ": " + nonZeroValues(v).size() + " values at stage 2 step " + step);
                        }
                    }
                }));
        assertEquals(List.of(1L, 2L, 3L, 4L, 1L, 2L, 3L), steps);
        assertEquals(scope.size(), zerosAfterPruning.size());

        NamedParameters p = m.parameters();
        long expectedScopeBits = 0;
        for (String name : scope) {
            EncodedTensor t = r.encoding().tensors().get(name);
            MaskedCodebookTensor mc = assertInstanceOf(MaskedCodebookTensor.class, t, name);
            assertArrayEquals(p.read(name), t.decode(), name);
            boolean[] z = zerosAfterPruning.get(name);
            int kept = 0;
            for (boolean b : z) {
                kept += b ? 0 : 1;
            }
            assertEquals(kept, mc.positions().length, name + " kept elements");
            // the sum of its parts: 1 mask bit per element, BITS per kept element, a 32-bit float per centroid
            long parts = z.length + (long) BITS * kept + 32L * mc.codebook().length;
            assertEquals(parts, t.bits().total(), name);
            assertEquals(new StorageBits((long) BITS * kept, 32L * mc.codebook().length, z.length, 0), t.bits());
            expectedScopeBits += parts;
        }
        SizeReport size = r.report();
        assertEquals(expectedScopeBits, size.scopeStoredBits());
        long untouched = 0;
        for (String name : p.names()) {
            if (!scope.contains(name)) {
                untouched += 32L * p.read(name).length;
            }
        }
        assertEquals(expectedScopeBits + untouched, size.storedBits());
        assertEquals(0.8, size.scopeSparsity(), 0.01);

        Path f = dir.resolve("deep.mtcz");
        Mtcz.write(f, TestHeaders.of(CFG, V), p, r.encoding());
        Mtcz.Contents back = Mtcz.read(f);
        for (String name : p.names()) {
            assertArrayEquals(p.read(name), back.params().read(name), name);
        }
        assertEquals(SizeReport.of(p, r.encoding()).storedBits(), SizeReport.of(back.params(), back.encoding()).storedBits());
        assertEquals(MaskedCodebookTensor.KIND, back.encoding().tensors().get(scope.get(0)).kind());
    }

    @Test
    void mixedPrecisionStagesOnDisjointScopesEachKeepTheirCodebook() {
        List<Batch> data = TinyData.reversal(24, 8, V, 5, 1);
        Transformer m = Transformer.create(CFG, V, 0, 2, 3, 2);
        CompressorSpec oneBitSelfAttention = CompressorSpec.parse("{name: kmeans, bits: 1, scope: {preset: self_attention}}");
        CompressorSpec fourBitRest = CompressorSpec.parse(
                "{name: kmeans, bits: 4, scope: {preset: all, exclude: ['.*\\.self_attn\\..*']}}");
        List<String> selfAttention = Scope.resolve(m.parameters(), oneBitSelfAttention.scope());
        List<String> rest = Scope.resolve(m.parameters(), fourBitRest.scope());
        List<Long> steps = new ArrayList<>();
        CompressionPipeline.Result r = CompressionPipeline.run(m.parameters(),
                List.of(new CompressionPipeline.Stage(oneBitSelfAttention, 2, 1e-2, 1),
                        new CompressionPipeline.Stage(fourBitRest, 2, 1e-2, 1)), CompressorRegistry.standard(),
                retrainers(m, data, steps, (stage, p, step) -> {
                    for (String name : selfAttention) {
                        assertTrue(new HashSet<>(box(p.read(name))).size() <= 2, name + " at stage " + (stage + 1));
                    }
                    if (stage == 1) {
                        for (String name : rest) {
                            assertTrue(new HashSet<>(box(p.read(name))).size() <= 16, name);
                        }
                    }
                }));
        assertEquals(4, steps.size());
        for (String name : selfAttention) {
            CodebookTensor t = assertInstanceOf(CodebookTensor.class, r.encoding().tensors().get(name));
            assertEquals(1, t.indexBits());
        }
        for (String name : rest) {
            CodebookTensor t = assertInstanceOf(CodebookTensor.class, r.encoding().tensors().get(name));
            assertEquals(4, t.indexBits());
        }
        assertEquals(selfAttention.size() + rest.size(), r.scope().size());
    }

    @Test
    void twoQuantizersOnOneTensorAreRefusedBeforeAnythingChanges() {
        Transformer m = Transformer.create(CFG, V, 0, 2, 3, 1);
        String first = m.parameters().names().get(0);
        float[] before = m.parameters().read(first);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompressionPipeline.run(
                m.parameters(), List.of(CompressionPipeline.Stage.of(CompressorSpec.defaults("kmeans", 4)),
                        CompressionPipeline.Stage.of(CompressorSpec.defaults("kmeans", 2))),
                CompressorRegistry.standard(), (k, s) -> null));
        assertTrue(e.getMessage().contains("stage 2 (kmeans) would compress"), e.getMessage());
        assertArrayEquals(before, m.parameters().read(first));
    }

    private static List<Float> box(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float x : v) {
            out.add(x);
        }
        return out;
    }
}
