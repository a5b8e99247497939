package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.mtcompress.data.Batch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The array pool's size decides only which memory a training step's arrays get, never a result: on batches of
 * varying shape (as token-budget batching makes them), a model whose pool keeps nothing and one whose pool keeps
 * everything compute bit-identical losses and gradients, step after step.
 */
class PoolSizeTest {

    @Test
    void lossesAndGradientsDoNotDependOnThePoolSize() {
        int vocab = 12;
        Transformer none = Transformer.create(TinyData.micro(true, true), vocab, TinyData.PAD, TinyData.BOS, TinyData.EOS, 7);
        Transformer large = Transformer.create(TinyData.micro(true, true), vocab, TinyData.PAD, TinyData.BOS, TinyData.EOS, 7);
        none.trainingPoolBytes(0);
        large.trainingPoolBytes(1L << 30);
        List<Batch> batches = List.of(
                TinyData.reversal(3, 3, vocab, 4, 3).get(0),
                TinyData.reversal(2, 5, vocab, 6, 5).get(0),
                TinyData.reversal(3, 3, vocab, 4, 3).get(0),
                TinyData.reversal(4, 2, vocab, 3, 9).get(0));
        long seed = 0;
        for (Batch b : batches) {
            Transformer.LossAndGradients a = none.gradients(b, 0.1, seed);
            Transformer.LossAndGradients c = large.gradients(b, 0.1, seed);
            seed++;
            assertEquals(a.loss(), c.loss());
            for (Map.Entry<String, INDArray> e : a.gradients().entrySet()) {
                assertArrayEquals(e.getValue().dup('c').data().asFloat(),
                        c.gradients().get(e.getKey()).dup('c').data().asFloat(), e.getKey());
            }
        }
        assertEquals(0L, none.poolCounts().get("hits"), "a pool of 0 bytes kept something");
        assertTrue(large.poolCounts().get("hits") > 20, "the large pool reused little: " + large.poolCounts());
    }
}
