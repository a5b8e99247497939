package org.mtcompress.compress.embedding;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackedIntTableTest {

    private static float[] table(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        return w;
    }

    private static int[] ids(int count, int rows, long seed) {
        Random rnd = new Random(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = rnd.nextInt(rows);
        }
        return ids;
    }

    @Test
    void fourBitScalesAndCodesFollowCompressedTensors() {
        // one row, channel strategy: max|w| = 1.5 -> scale = 1.5 / 7.5 = 0.2
        float[] w = {0.75f, -1.5f, 1.5f, 0.1f, -0.3f, 0f};
        PackedIntTable t = PackedIntTable.quantize(w, 1, 6, 4, 6);
        assertEquals(1.5f / 7.5f, t.scale(0, 0));
        // 0.75/0.2 = 3.75 -> 4; -1.5/0.2 = -7.5 -> -8 (ties to even); 1.5/0.2 = 7.5 -> 8 -> clamped to 7;
        // 0.1/0.2 = 0.5 -> 0 (ties to even); -0.3/0.2 = -1.5 -> -2
        int[] expected = new int[6];
        for (int j = 0; j < 6; j++) {
            expected[j] = (int) Math.max(-8, Math.min(7, Math.rint(w[j] / t.scale(0, 0))));
        }
        assertArrayEquals(expected, t.codes(0));
        assertEquals(-8, t.codes(0)[1]);
        assertEquals(7, t.codes(0)[2]);
        float s = t.scale(0, 0);
        assertArrayEquals(new float[]{4 * s, -8 * s, 7 * s, expected[3] * s, expected[4] * s, 0f}, t.dequantize());
    }

    @Test
    void eightBitDivisorIs127Point5AndPositiveRangeIncludesZero() {
        float[] w = {0.2f, 0.4f, 0.6f, 0.8f}; // all positive: range [0, 0.8]
        PackedIntTable t = PackedIntTable.quantize(w, 1, 4, 8, 4);
        assertEquals(0.8f / 127.5f, t.scale(0, 0));
        assertEquals(127, t.codes(0)[3]); // 127.5 rounds to 128 (even), clamped
    }

    @Test
    void allZeroGroupGetsEpsilonScaleAndZeroCodes() {
        float[] w = new float[8];
        PackedIntTable t = PackedIntTable.quantize(w, 2, 4, 4, 2);
        assertEquals(Math.ulp(1.0f), t.scale(1, 1));
        assertArrayEquals(w, t.dequantize());
    }

    @Test
    void groupsRunAlongRowsWithOneScaleEach() {
        int rows = 3;
        int cols = 10;
        float[] w = table(rows, cols, 1);
        PackedIntTable t = PackedIntTable.quantize(w, rows, cols, 4, 4); // groups of 4, 4, 2
        assertEquals(rows * 3, t.scaleCount());
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < 3; g++) {
                float max = 0;
                for (int j = g * 4; j < Math.min(g * 4 + 4, cols); j++) {
                    max = Math.max(max, Math.abs(w[r * cols + j]));
                }
                assertEquals(max / 7.5f, t.scale(r, g));
            }
        }
        PackedIntTable channel = PackedIntTable.quantize(w, rows, cols, 8, cols);
        assertEquals(rows, channel.scaleCount());
    }

    @Test
    void errorIsAtMostHalfAStep() {
        int rows = 20;
        int cols = 37;
        float[] w = table(rows, cols, 2);
        for (int bits = 2; bits <= 8; bits++) {
            PackedIntTable t = PackedIntTable.quantize(w, rows, cols, bits, 8);
            float[] d = t.dequantize();
            for (int i = 0; i < w.length; i++) {
                float s = t.scale(i / cols, (i % cols) / 8);
                assertTrue(Math.abs(w[i] - d[i]) <= 0.5f * s * 1.0001f, bits + " bits at " + i);
            }
        }
    }

    @Test
    void fusedLookupEqualsDequantizeThenGatherExactly() {
        int[][] shapes = {{50, 64}, {33, 37}, {17, 1}, {40, 130}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            float[] w = table(rows, cols, rows * 31L + cols);
            int[] ids = ids(123, rows, cols);
            for (int bits = 1; bits <= 8; bits++) {
                for (int group : new int[]{1, 2, 3, 8, 16, 64, cols}) {
                    if (group > cols) {
                        continue;
                    }
                    PackedIntTable t = PackedIntTable.quantize(w, rows, cols, bits, group);
                    float[] fused = new float[ids.length * cols];
                    float[] reference = new float[ids.length * cols];
                    t.gather(ids, fused);
                    t.gatherReference(ids, reference);
                    for (int i = 0; i < fused.length; i++) {
                        if (Float.floatToRawIntBits(fused[i]) != Float.floatToRawIntBits(reference[i])) {
                            throw new AssertionError("shape " + rows + "x" + cols + ", " + bits + " bits, group "
                                    + group + ": value " + i + " fused " + fused[i] + " reference " + reference[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowRunsEqualTheDequantizedTableExactly() {
        for (int[] shape : new int[][] {{50, 64}, {33, 37}, {17, 1}, {40, 130}, {9, 256}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] w = table(rows, cols, rows * 17L + cols);
            for (int bits : new int[] {3, 4, 8}) {
                for (int group : new int[] {1, 2, 3, 16, 64, cols}) {
                    if (group > cols) {
                        continue;
                    }
                    PackedIntTable t = PackedIntTable.quantize(w, rows, cols, bits, group);
                    float[] dense = t.dequantize();
                    int from = rows / 3;
                    int count = rows - from - 1;
                    float[] run = new float[2 + count * cols];
                    t.dequantizeRows(from, count, run, 2);
                    for (int i = 0; i < count * cols; i++) {
                        assertEquals(Float.floatToRawIntBits(dense[from * cols + i]), Float.floatToRawIntBits(run[2 + i]),
                                "shape " + rows + "x" + cols + ", " + bits + " bits, group " + group + ": value " + i);
                    }
                    assertEquals(0f, run[0]);
                }
            }
        }
    }

    @Test
    void denseLookupOfTheDequantizedTableEqualsTheFusedOne() {
        float[] w = table(64, 48, 5);
        PackedIntTable t = PackedIntTable.quantize(w, 64, 48, 4, 16);
        EmbeddingLookup dense = EmbeddingLookup.dense(t.dequantize(), 64, 48);
        int[] ids = ids(200, 64, 6);
        float[] a = new float[200 * 48];
        float[] b = new float[200 * 48];
        dense.gather(ids, 0, ids.length, a, 0);
        ((EmbeddingLookup) t).gather(ids, 0, ids.length, b, 0);
        assertArrayEquals(a, b);
        assertEquals(48, t.dim());
        assertThrows(IndexOutOfBoundsException.class, () -> dense.gather(new int[]{64}, 0, 1, new float[48], 0));
    }

    @Test
    void fusedLookupWritesOnlyItsSliceOfTheOutput() {
        float[] w = table(10, 6, 3);
        PackedIntTable t = PackedIntTable.quantize(w, 10, 6, 4, 2);
        int[] ids = {9, 0, 4, 4, 7};
        float[] out = new float[4 + 2 * 6 + 3];
        java.util.Arrays.fill(out, 42f);
        t.gather(ids, 2, 2, out, 4);
        float[] dense = t.dequantize();
        for (int k = 0; k < 6; k++) {
            assertEquals(dense[4 * 6 + k], out[4 + k]);
            assertEquals(dense[4 * 6 + k], out[10 + k]);
        }
        for (int k : new int[]{0, 1, 2, 3, 16, 17, 18}) {
            assertEquals(42f, out[k]);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> t.gather(new int[]{10}, new float[6]));
        assertThrows(IndexOutOfBoundsException.class, () -> t.gather(new int[]{-1}, new float[6]));
        assertThrows(IndexOutOfBoundsException.class, () -> t.gather(new int[]{1, 2}, new float[11]));
    }

    @Test
    void fourBitGroup64TakesUnderASixthOfTheDenseMemory() {
        int rows = 8000;
        int cols = 256;
        PackedIntTable t = PackedIntTable.quantize(table(rows, cols, 4), rows, cols, 4, 64);
        long dense = 4L * rows * cols;
        assertEquals(rows * cols / 2, t.packedBits() / 8);
        assertEquals(32L * rows * 4, t.scaleBits());
        assertEquals(dense * 9 / 64, t.memoryBytes()); // 4.5 bits of 32
        assertTrue(t.memoryBytes() * 6 <= dense);
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> PackedIntTable.quantize(new float[6], 2, 4, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> PackedIntTable.quantize(new float[8], 2, 4, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> PackedIntTable.quantize(new float[8], 2, 4, 9, 4));
        float[] nan = new float[8];
        nan[5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> PackedIntTable.quantize(nan, 2, 4, 4, 4));
    }

    @Test
    void simdAndScalarFusedLookupsEqualDequantizeThenGatherExactly() {
        // the tests run with --add-modules jdk.incubator.vector (pom), so gather takes the SIMD kernels
        assertTrue(PackedIntTable.VECTOR, "the Vector API module is not in this JVM: the SIMD kernels go untested");
        int rows = 97;
        for (int[] c : new int[][]{{4, 64, 256}, {4, 128, 256}, {4, 32, 96}, {8, 256, 256}, {8, 64, 128}, {4, 48, 96},
                {4, 64, 100}, {8, 96, 96}, {3, 64, 128}, {4, 16, 48}, {8, 8, 40}, {8, 12, 36}}) {
            int bits = c[0], group = c[1], cols = c[2];
            float[] w = table(rows, cols, bits * 1000L + group);
            w[5] = 0.9f; // an outlier: extreme codes -8 / 7 and -128 / 127 in its group
            w[cols + 7] = -0.9f;
            PackedIntTable t = PackedIntTable.quantize(w, rows, cols, bits, group);
            int[] ids = ids(300, rows, 7);
            ids[0] = 0;
            ids[1] = 1;
            ids[2] = rows - 1;
            float[] ref = new float[ids.length * cols];
            t.gatherReference(ids, ref);
            float[] fused = new float[ids.length * cols + 5];
            t.gather(ids, 0, ids.length, fused, 5);
            float[] scalar = new float[ids.length * cols];
            t.gatherScalar(ids, 0, ids.length, scalar, 0);
            String what = bits + " bits, group " + group + ", cols " + cols;
            assertArrayEquals(ref, java.util.Arrays.copyOfRange(fused, 5, fused.length), what);
            assertArrayEquals(ref, scalar, what);
            for (int k = 0; k < ref.length; k++) { // bit for bit, -0.0 included
                assertEquals(Float.floatToRawIntBits(ref[k]), Float.floatToRawIntBits(fused[k + 5]), what + " at " + k);
            }
        }
    }
}
