package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step frees its dead intermediates early and still returns intact gradients (the finite-difference
 * test checks their values; here: the next step reuses freed memory through the array pool, but not under them,
 * and parameters stay open).
 */
class EagerReleaseTest {

    @Test
    void gradientStepFreesIntermediatesAndKeepsResultsIntact() {
        int vocab = 12;
        Transformer m = Transformer.create(TinyData.micro(true, true), vocab, TinyData.PAD, TinyData.BOS, TinyData.EOS, 7);
        Batch b = TinyData.reversal(3, 3, vocab, 4, 3).get(0);
        Transformer.LossAndGradients first = m.gradients(b, 0.1, 0);
        assertTrue(m.releasedBytes() > 0, "nothing was freed early");
        Map<String, float[]> copy = new HashMap<>();
        first.gradients().forEach((n, g) -> copy.put(n, g.dup('c').data().asFloat()));
        // a second identical step allocates into the memory the first one freed; the first step's gradients,
        // still referenced, must not change, and the second step must reproduce them exactly
        long reusedBefore = m.poolCounts().get("hits");
        Transformer.LossAndGradients second = m.gradients(b, 0.1, 0);
        assertTrue(m.poolCounts().get("hits") - reusedBefore > 20, "the second step reused little memory: " + m.poolCounts());
        assertEquals(first.loss(), second.loss());
        for (Map.Entry<String, INDArray> e : first.gradients().entrySet()) {
            assertFalse(e.getValue().wasClosed(), e.getKey() + " was closed");
            assertArrayEquals(copy.get(e.getKey()), e.getValue().dup('c').data().asFloat(), e.getKey());
            assertArrayEquals(copy.get(e.getKey()), second.gradients().get(e.getKey()).dup('c').data().asFloat(), e.getKey());
        }
        for (String n : m.parameters().names()) {
            assertFalse(m.arrays().get(n).wasClosed(), n + " (a parameter) was closed");
        }
    }

    /** After training memory is released, a step rebuilds the training graph (dropout sites too): same gradients. */
    @Test
    void releasingTrainingMemoryKeepsTheNextStepIdentical() {
        int vocab = 12;
        ModelConfig withDropout = new ModelConfig(1, 1, 2, 8, 16, 0.3, true, true, 32, ModelConfig.Embedding.DENSE);
        Transformer m = Transformer.create(withDropout, vocab, TinyData.PAD, TinyData.BOS, TinyData.EOS, 7);
        Batch b = TinyData.reversal(3, 3, vocab, 4, 3).get(0);
        Transformer.LossAndGradients first = m.gradients(b, 0.1, 5);
        Map<String, float[]> copy = new HashMap<>();
        first.gradients().forEach((n, g) -> copy.put(n, g.dup('c').data().asFloat()));
        m.releaseTrainingMemory();
        Transformer.LossAndGradients again = m.gradients(b, 0.1, 5);
        assertEquals(first.loss(), again.loss());
        for (Map.Entry<String, float[]> e : copy.entrySet()) {
            assertArrayEquals(e.getValue(), again.gradients().get(e.getKey()).dup('c').data().asFloat(), e.getKey());
        }
    }
}
