package org.mtcompress.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.data.Batcher;
import org.mtcompress.data.EncodedCorpus;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;
import org.mtcompress.util.Seeds;

/**
 * The root seed reaches every random stream of training: two seeds give other initial weights, another batch
 * order and other dropout masks; the same seed gives the same losses, bit for bit.
 */
class SeedPropagationTest {
    private static final int V = 20;
    private static final String W = "encoder.layers.0.fc1.weight";

    private static ModelConfig model(double dropout) {
        return new ModelConfig(1, 1, 2, 16, 32, dropout, true, true, 32, ModelConfig.Embedding.DENSE);
    }

    @Test
    void streamsAreDerivedByNameFromTheRoot() {
        TrainSeeds a = TrainSeeds.of(1);
        assertEquals(a, TrainSeeds.of(1));
        assertEquals(Seeds.derive(1, "init"), a.init());
        assertEquals(Seeds.derive(1, "data_order"), a.dataOrder());
        assertEquals(Seeds.derive(1, "dropout"), a.dropout());
        assertEquals(List.of("init", "data_order", "dropout"), new ArrayList<>(a.named().keySet()));
        TrainSeeds b = TrainSeeds.of(2);
        assertNotEquals(a.init(), b.init());
        assertNotEquals(a.dataOrder(), b.dataOrder());
        assertNotEquals(a.dropout(), b.dropout());
        // a retraining run has its own streams under its prefix
        TrainSeeds r = TrainSeeds.of(1, "retrain:k/");
        assertEquals(Seeds.derive(1, "retrain:k/dropout"), r.dropout());
        assertNotEquals(a.dataOrder(), r.dataOrder());
    }

    @Test
    void twoSeedsGiveOtherInitialWeights() {
        float[] one = Transformer.create(model(0), V, 0, 2, 3, TrainSeeds.of(1).init()).parameters().read(W);
        float[] again = Transformer.create(model(0), V, 0, 2, 3, TrainSeeds.of(1).init()).parameters().read(W);
        float[] two = Transformer.create(model(0), V, 0, 2, 3, TrainSeeds.of(2).init()).parameters().read(W);
        assertArrayEquals(one, again);
        assertFalse(Arrays.equals(one, two));
    }

    @Test
    void twoSeedsGiveAnotherBatchOrder() {
        Random r = new Random(3);
        int[][] src = new int[200][];
        int[][] tgt = new int[200][];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.ints(2 + r.nextInt(10), 4, V).toArray();
            tgt[i] = r.ints(2 + r.nextInt(10), 4, V).toArray();
        }
        EncodedCorpus corpus = new EncodedCorpus(src, tgt);
        List<int[]> one = order(corpus, TrainSeeds.of(1).dataOrder());
        assertEquals(toString(one), toString(order(corpus, TrainSeeds.of(1).dataOrder())));
        assertNotEquals(toString(one), toString(order(corpus, TrainSeeds.of(2).dataOrder())));
    }

    private static List<int[]> order(EncodedCorpus corpus, long seed) {
        return Batcher.training(corpus, 3, 0, 100, 64, seed, 0).stream().map(Batch::indices).toList();
    }

    private static String toString(List<int[]> indices) {
        return indices.stream().map(Arrays::toString).toList().toString();
    }

    /**
     * Dropout: the same initial weights and batches, trained with the dropout streams of two seeds, see other losses
     * from the first step on (dropout is the only difference); the same seed reproduces the first steps exactly.
     */
    @Test
    void twoSeedsGiveOtherDropoutMasksAndOneSeedTheSameLosses() {
        ParameterMap start = ParameterMap.copyOf(Transformer.create(model(0.3), V, 0, 2, 3, 11).parameters());
        List<Batch> data = TinyData.reversal(24, 8, V, 5, 2);
        double[] one = losses(start, data, TrainSeeds.of(1));
        double[] again = losses(start, data, TrainSeeds.of(1));
        double[] two = losses(start, data, TrainSeeds.of(2));
        assertArrayEquals(one, again, 0.0);
        assertNotEquals(one[0], two[0], "the first step's dropout masks are the same for two seeds");
        assertFalse(Arrays.equals(one, two));
    }

    private static double[] losses(ParameterMap start, List<Batch> data, TrainSeeds seeds) {
        Transformer m = Transformer.fromParameters(model(0.3), V, 0, 2, 3, ParameterMap.copyOf(start));
        Trainer t = new Trainer(m, TrainConfig.quick(3e-3, 2, 3), seeds).quiet();
        return t.fit(epoch -> data, null, null, "h").curve().stream().mapToDouble(Trainer.StepLog::loss).toArray();
    }
}
