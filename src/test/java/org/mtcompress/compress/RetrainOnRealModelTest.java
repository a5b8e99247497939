package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.Decoder;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.Retraining;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compression on a tiny real SameDiff Transformer: retraining through the trainer's after-step hooks keeps each
 * compressor's invariant, and the exported .mtcz translates exactly like the in-memory compressed model.
 */
class RetrainOnRealModelTest {
    private static final int V = 20;
    private static final ModelConfig CFG = new ModelConfig(1, 1, 2, 16, 32, 0, true, true, 32, ModelConfig.Embedding.DENSE);

    @TempDir
    Path dir;

    private static Set<Float> distinct(float[] v) {
        Set<Float> s = new HashSet<>();
        for (float x : v) {
            s.add(x);
        }
        return s;
    }

    private static int zeros(float[] v) {
        int z = 0;
        for (float x : v) {
            z += x == 0f ? 1 : 0;
        }
        return z;
    }

    @Test
    void invariantsHoldAfterRealRetrainingSteps() {
        List<Batch> data = TinyData.reversal(24, 8, V, 5, 1); // 3 batches: 4 steps span two epochs
        for (String name : List.of("kmeans", "bsflex", "binary_fixed", "prune")) {
            Transformer m = Transformer.create(CFG, V, 0, 2, 3, 1);
            CompressorSpec spec = name.equals("prune")
                    ? new PruningSpec(name, ScopeSpec.of(ScopePreset.ALL), new PruningSettings(0.3, 0.5, 2, 2, false, PruningThreshold.PER_TENSOR))
                    : CompressorSpec.defaults(name, name.equals("kmeans") ? 2 : 1);
            Trainer trainer = new Trainer(m, TrainConfig.quick(1e-2, 1, 0), TrainSeeds.of(1)).quiet();
            CompressionPipeline.Result r = CompressionPipeline.run(m.parameters(), spec, CompressorRegistry.standard(),
                    Retraining.of(trainer, epoch -> data), 4);
            assertEquals(4, trainer.step());
            NamedParameters p = m.parameters();
            boolean moved = false;
            for (String param : r.scope()) {
                float[] v = p.read(param);
                switch (name) {
                    case "kmeans" -> assertTrue(distinct(v).size() <= 4, param);
                    case "prune" -> assertEquals(Math.round(0.5 * v.length), zeros(v), param);
                    default -> assertEquals(2, distinct(v).size(), param);
                }
                assertArrayEquals(v, r.encoding().tensors().get(param).decode(), name + " " + param);
            }
            // retraining did change something outside the scope (biases are trained freely)
            for (String param : p.names()) {
                if (param.endsWith(".bias") && zeros(p.read(param)) < p.read(param).length) {
                    moved = true;
                }
            }
            assertTrue(moved, name + ": no bias moved during retraining");
        }
    }

    /**
     * Retraining a 1-bit k-means model with Adam lowers the loss it starts from: each centroid moves by its
     * members' mean update (summing the updates of thousands of weights, as Deep Compression does with SGD
     * gradients, made every step move a centroid by thousands of learning rates and the loss diverged).
     */
    @Test
    void retrainingALowBitKMeansModelWithAdamLowersItsLoss() {
        int v = 40;
        ModelConfig cfg = new ModelConfig(1, 1, 2, 32, 64, 0, true, true, 32, ModelConfig.Embedding.DENSE);
        List<Batch> data = TinyData.reversal(48, 8, v, 6, 2);
        Transformer m = Transformer.create(cfg, v, 0, 2, 3, 1);
        Trainer pre = new Trainer(m, TrainConfig.quick(3e-3, 5, 0), TrainSeeds.of(1)).quiet();
        for (int step = 0; step < 40; step++) {
            pre.trainStep(data.get(step % data.size()));
        }
        CompressionState state = CompressorRegistry.standard().create(CompressorSpec.defaults("kmeans", 1))
                .compress(m.parameters(), Scope.resolve(m.parameters(), ScopeSpec.of(ScopePreset.ALL)));
        double before = meanLoss(m, data);
        Trainer retrain = new Trainer(m, TrainConfig.quick(1e-3, 3, 0), TrainSeeds.of(1)).quiet().addHook(state);
        for (int step = 0; step < 30; step++) {
            retrain.trainStep(data.get(step % data.size()));
        }
        double after = meanLoss(m, data);
        assertTrue(after < before, "loss after retraining " + after + " vs right after compression " + before);
    }

    private static double meanLoss(Transformer m, List<Batch> data) {
        double sum = 0;
        for (Batch b : data) {
            sum += m.evalLoss(b, 0.1)[0];
        }
        return sum / data.size();
    }

    @Test
    void exportedModelTranslatesExactlyLikeTheInMemoryOne() {
        Transformer m = Transformer.create(CFG, V, 0, 2, 3, 7);
        CompressionPipeline.Result r = CompressionPipeline.run(m.parameters(), CompressorSpec.defaults("kmeans", 3),
                CompressorRegistry.standard(), null, 0);
        Path f = dir.resolve("m.mtcz");
        Mtcz.write(f, TestHeaders.tiny(), m.parameters(), r.encoding());
        ParameterMap back = Mtcz.read(f).params();
        Transformer loaded = Transformer.fromParameters(CFG, V, 0, 2, 3, back);
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sources.add(new int[] {4 + i, 5 + i, 6 + (i % 3), 3});
        }
        List<int[]> a = new Decoder(m, 2, 1.0).translate(sources, 3);
        List<int[]> b = new Decoder(loaded, 2, 1.0).translate(sources, 3);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "sentence " + i);
        }
        Batch batch = TinyData.reversal(8, 8, V, 5, 3).get(0);
        assertEquals(m.evalLoss(batch, 0.1)[0], loaded.evalLoss(batch, 0.1)[0]);
    }
}
