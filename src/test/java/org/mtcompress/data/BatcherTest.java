package org.mtcompress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatcherTest {
    static final int PAD = 0;
    static final int EOS = 3;

    /** Rows of random length 1..maxLen with ids >= 4. */
    static EncodedCorpus corpus(int n, int maxLen, long seed) {
        Random r = new Random(seed);
        int[][] s = new int[n][];
        int[][] t = new int[n][];
        for (int i = 0; i < n; i++) {
            s[i] = r.ints(1 + r.nextInt(maxLen), 4, 100).toArray();
            t[i] = r.ints(1 + r.nextInt(maxLen), 4, 100).toArray();
        }
        return new EncodedCorpus(s, t);
    }

    @Test
    void batchesRespectBudgetAndCoverEveryRowOnce() {
        EncodedCorpus c = corpus(1000, 60, 1);
        List<Batch> batches = Batcher.training(c, EOS, PAD, 512, 0, 7, 0);
        boolean[] seen = new boolean[c.size()];
        for (Batch b : batches) {
            int width = Math.max(b.source()[0].length, b.target()[0].length);
            assertTrue(b.rows() == 1 || b.rows() * width <= 512, "budget exceeded: " + b.rows() + "x" + width);
            int st = 0;
            for (int r = 0; r < b.rows(); r++) {
                int i = b.indices()[r];
                assertTrue(!seen[i], "row twice: " + i);
                seen[i] = true;
                int[] src = c.source()[i];
                // source: ids, EOS, then padding only
                assertArrayEquals(src, Arrays.copyOf(b.source()[r], src.length));
                assertEquals(EOS, b.source()[r][src.length]);
                for (int j = src.length + 1; j < b.source()[r].length; j++) {
                    assertEquals(PAD, b.source()[r][j]);
                }
                int[] tgt = c.target()[i];
                assertArrayEquals(tgt, Arrays.copyOf(b.target()[r], tgt.length));
                assertEquals(EOS, b.target()[r][tgt.length]);
                st += src.length + 1;
            }
            assertEquals(st, b.sourceTokens());
            float[][] m = Batcher.mask(b.source(), PAD);
            float sum = 0;
            for (float[] row : m) {
                for (float v : row) {
                    sum += v;
                }
            }
            assertEquals(b.sourceTokens(), (int) sum);
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void bucketingKeepsPaddingLow() {
        EncodedCorpus c = corpus(5000, 60, 2);
        long pad = 0;
        long tokens = 0;
        for (Batch b : Batcher.training(c, EOS, PAD, 4096, 0, 1, 0)) {
            pad += (long) b.rows() * b.source()[0].length - b.sourceTokens();
            tokens += b.sourceTokens();
        }
        // source and target lengths are independent here, so some padding is unavoidable; unsorted batches pad ~50%
        assertTrue(pad < 0.5 * tokens, "padding " + pad + " for " + tokens + " tokens");
    }

    @Test
    void sameSeedSameBatchesOtherSeedOrEpochDifferent() {
        EncodedCorpus c = corpus(2000, 40, 3);
        assertEquals(order(Batcher.training(c, EOS, PAD, 1024, 0, 11, 0)), order(Batcher.training(c, EOS, PAD, 1024, 0, 11, 0)));
        assertNotEquals(order(Batcher.training(c, EOS, PAD, 1024, 0, 11, 0)), order(Batcher.training(c, EOS, PAD, 1024, 0, 12, 0)));
        assertNotEquals(order(Batcher.training(c, EOS, PAD, 1024, 0, 11, 0)), order(Batcher.training(c, EOS, PAD, 1024, 0, 11, 1)));
    }

    @Test
    void maxLengthDropsLongTrainingRowsButEvaluationKeepsAll() {
        EncodedCorpus c = corpus(500, 80, 4);
        int kept = Batcher.training(c, EOS, PAD, 4096, 41, 5, 0).stream().mapToInt(Batch::rows).sum();
        long expected = 0;
        for (int i = 0; i < c.size(); i++) {
            if (c.source()[i].length + 1 <= 41 && c.target()[i].length + 1 <= 41) {
                expected++;
            }
        }
        assertEquals(expected, kept);
        assertTrue(kept < 500);
        assertEquals(500, Batcher.evaluation(c, EOS, PAD, 4096).stream().mapToInt(Batch::rows).sum());
    }

    @Test
    void encodedCorpusFileRoundTrip(@TempDir Path dir) {
        EncodedCorpus c = corpus(300, 30, 5);
        c.write(dir.resolve("c.bin"));
        EncodedCorpus back = EncodedCorpus.read(dir.resolve("c.bin"));
        assertEquals(c.size(), back.size());
        for (int i = 0; i < c.size(); i++) {
            assertArrayEquals(c.source()[i], back.source()[i]);
            assertArrayEquals(c.target()[i], back.target()[i]);
        }
    }

    private static List<List<Integer>> order(List<Batch> batches) {
        List<List<Integer>> out = new ArrayList<>();
        for (Batch b : batches) {
            out.add(Arrays.stream(b.indices()).boxed().toList());
        }
        return out;
    }
}
