package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The key/value-cached decoder step against the full teacher-forced graph: same log-probabilities position by
 * position, and the cache follows hypotheses when beam search reorders or duplicates rows.
 */
class IncrementalDecodingTest {
    private static final int VOCAB = 15;

    private static Transformer model(boolean preLn, boolean tied) {
        ModelConfig cfg = new ModelConfig(2, 2, 2, 16, 32, 0.0, preLn, tied, 32, ModelConfig.Embedding.DENSE);
        return Transformer.create(cfg, VOCAB, TinyData.PAD, TinyData.BOS, TinyData.EOS, 11);
    }

    @Test
    void cachedStepsGiveTheTeacherForcedNllPreLnTied() {
        assertCachedNllMatches(model(true, true));
    }

    @Test
    void cachedStepsGiveTheTeacherForcedNllPostLnUntied() {
        assertCachedNllMatches(model(false, false));
    }

    /** Feeds the gold prefix one token per step and sums -log p(gold) over real (non-pad) target positions. */
    private static void assertCachedNllMatches(Transformer m) {
        Batch b = TinyData.reversal(4, 4, VOCAB, 6, 9).get(0);   // rows of different source and target lengths
        int rows = b.rows(), t = b.target()[0].length;
        Transformer.Encoded enc = m.encode(b.source());
        Transformer.DecoderCache cache = m.emptyCache(rows);
        int[] identity = new int[rows];
        for (int r = 0; r < rows; r++) {
            identity[r] = r;
        }
        double nll = 0;
        int tokens = 0;
        for (int j = 0; j < t; j++) {
            int[] last = new int[rows];
            for (int r = 0; r < rows; r++) {
                last[r] = j == 0 ? TinyData.BOS : b.target()[r][j - 1];
            }
            Transformer.Step step = m.step(enc, cache, identity, identity, last);
            cache = step.cache();
            for (int r = 0; r < rows; r++) {
                int gold = b.target()[r][j];
                if (gold != TinyData.PAD) {
                    nll -= step.logProbs()[r * VOCAB + gold];
                    tokens++;
                }
            }
        }
        double full = m.evalLoss(b, 0.1)[1];
        assertEquals(full, nll / tokens, 1e-4 * Math.max(1, full), "cached vs teacher-forced NLL");
    }

    @Test
    void cacheRowsFollowTheirParentsAndSentences() {
        Transformer m = model(true, true);
        int[][] src = {{4, 5, 6, TinyData.EOS}, {7, 8, TinyData.EOS, TinyData.PAD}};
        Transformer.Encoded enc = m.encode(src);
        Transformer.Step first = m.step(enc, m.emptyCache(2), new int[]{0, 1}, new int[]{0, 1},
                new int[]{TinyData.BOS, TinyData.BOS});
        // beam-style reordering: sentence 1 first, then sentence 0 twice with different continuations
        Transformer.Step mixed = m.step(enc, first.cache(), new int[]{1, 0, 0}, new int[]{1, 0, 0}, new int[]{9, 10, 12});

        for (int r = 0; r < 3; r++) {
            int sentence = new int[]{1, 0, 0}[r], token = new int[]{9, 10, 12}[r];
            Transformer.Encoded alone = m.encode(new int[][]{src[sentence]});
            Transformer.Step a = m.step(alone, m.emptyCache(1), new int[]{0}, new int[]{0}, new int[]{TinyData.BOS});
            Transformer.Step b = m.step(alone, a.cache(), new int[]{0}, new int[]{0}, new int[]{token});
            float[] want = b.logProbs();
            float[] got = java.util.Arrays.copyOfRange(mixed.logProbs(), r * VOCAB, (r + 1) * VOCAB);
            assertArrayEquals(want, got, 1e-4f, "row " + r);
        }
        assertEquals(3, mixed.cache().length());
    }

    @Test
    void greedyDecodingIsTheArgmaxOfTheCachedSteps() {
        Transformer m = model(true, true);
        List<int[]> out = new Decoder(m, 1, 0.6, 5).translate(List.of(new int[]{4, 5, 6}), 1);
        Transformer.Encoded enc = m.encode(new int[][]{{4, 5, 6, TinyData.EOS}});
        Transformer.DecoderCache cache = m.emptyCache(1);
        int last = TinyData.BOS;
        int[] tokens = out.get(0);
        for (int tok : tokens) {
            Transformer.Step s = m.step(enc, cache, new int[]{0}, new int[]{0}, new int[]{last});
            cache = s.cache();
            int best = -1;
            for (int w = 0; w < VOCAB; w++) {
                if (w != TinyData.PAD && (best < 0 || s.logProbs()[w] > s.logProbs()[best])) {
                    best = w;
                }
            }
            assertEquals(best, tok);
            last = tok;
        }
    }
}
