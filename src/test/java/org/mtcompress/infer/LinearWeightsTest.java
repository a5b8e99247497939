package org.mtcompress.infer;

import org.junit.jupiter.api.Test;
import org.mtcompress.compress.CodebookTensor;
import org.mtcompress.compress.EncodedTensor;
import org.mtcompress.compress.PackedIntTensor;
import org.mtcompress.compress.RawTensor;
import org.mtcompress.compress.SparseTensor;
import org.mtcompress.compress.UniformTensor;
import org.mtcompress.compress.embedding.PackedIntTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each packed kernel against its reference: dequantize the stored tensor ({@code EncodedTensor.decode}), then
 * multiply in double precision. Odd shapes, index widths that straddle bytes, group sizes that do not divide the row.
 */
class LinearWeightsTest {
    private static final long[][] SHAPES = {{37, 45}, {5, 129}, {64, 33}, {1, 7}};

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** Stored forms of random tensors of {@code shape}, one per kind and setting. */
    private static List<EncodedTensor> forms(long[] shape, Random rnd) {
        int rows = (int) shape[0], cols = (int) shape[1], n = rows * cols;
        List<EncodedTensor> out = new ArrayList<>();
        out.add(new RawTensor(shape, gaussian(rnd, n)));
        for (int bits : new int[] {1, 3, 4, 7}) {
            int k = Math.min(1 << bits, 5 + bits);
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) {
                codes[i] = rnd.nextInt(k);
            }
            out.add(new CodebookTensor(shape, bits, gaussian(rnd, k), null, codes));
        }
        int[] levels = new int[n];
        for (int i = 0; i < n; i++) {
            levels[i] = rnd.nextInt(4);
        }
        out.add(new UniformTensor(shape, 2, 0.7f, levels));
        for (int[] bg : new int[][] {{4, 16}, {4, 64}, {8, 16}, {3, 10}, {4, cols}}) {
            int group = Math.min(bg[1], cols);
            out.add(new PackedIntTensor(shape, PackedIntTable.quantize(gaussian(rnd, n), rows, cols, bg[0], group)));
        }
        float[] pruned = gaussian(rnd, n);
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < 0.8) {
                pruned[i] = 0;
            }
        }
        out.add(SparseTensor.ofDense(shape, pruned));
        return out;
    }

    @Test
    void everyKernelMatchesDequantizeThenMultiply() {
        Random rnd = new Random(7);
        for (long[] shape : SHAPES) {
            int rows = (int) shape[0], cols = (int) shape[1];
            for (EncodedTensor t : forms(shape, rnd)) {
                LinearWeights w = StoredForms.of(t, rows, cols, true);
                String what = t.kind() + " " + w.form() + " " + rows + "x" + cols;
                float[] dense = t.decode();
                float[] read = new float[dense.length];
                w.readRows(0, rows, read, 0);
                assertArrayEquals(dense, read, what + ": rows read back");
                int[] ids = {rows - 1, 0, rows / 2, rows - 1};
                float[] gathered = new float[ids.length * cols];
                w.gather(ids, 0, ids.length, gathered, 0);
                for (int i = 0; i < ids.length; i++) {
                    for (int j = 0; j < cols; j++) {
                        assertEquals(dense[ids[i] * cols + j], gathered[i * cols + j], what + ": gathered row");
                    }
                }
                int n = 3;
                float[] x = gaussian(rnd, n * cols), bias = gaussian(rnd, rows), y = new float[n * rows];
                w.multiply(x, n, bias, y);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < rows; r++) {
                        double ref = bias[r], mag = Math.abs(bias[r]);
                        for (int j = 0; j < cols; j++) {
                            ref += (double) x[i * cols + j] * dense[r * cols + j];
                            mag += Math.abs((double) x[i * cols + j] * dense[r * cols + j]);
                        }
                        assertEquals(ref, y[i * rows + r], 1e-5 * (1 + mag), what + " y[" + i + "," + r + "]");
                    }
                }
                // the product does not depend on the form: dense weights of the same values give the same floats,
                // except the sparse product, which sums only the kept weights
                float[] yDense = new float[n * rows];
                new DenseWeights(dense, rows, cols).multiply(x, n, bias, yDense);
                if (!(w instanceof SparseWeights)) {
                    assertArrayEquals(yDense, y, what + ": bit for bit as the dense product");
                }
            }
        }
    }

    @Test
    void formsAreChosenByKindAndResidentMemoryIsTheStoredSize() {
        Random rnd = new Random(3);
        long[] shape = {64, 128};
        int n = 64 * 128;
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = rnd.nextInt(16);
        }
        LinearWeights k4 = StoredForms.of(new CodebookTensor(shape, 4, gaussian(rnd, 16), null, codes), 64, 128, true);
        assertEquals("codebook-4bit", k4.form());
        assertEquals(n / 2 + 8 + 16 * 4, k4.residentBytes());
        LinearWeights w4 = StoredForms.of(new PackedIntTensor(shape, PackedIntTable.quantize(gaussian(rnd, n), 64, 128, 4, 64)),
                64, 128, true);
        assertEquals("int4-g64", w4.form());
        assertEquals(n / 2 + 64 * 2 * 4, w4.residentBytes());
        float[] half = gaussian(rnd, n);
        for (int i = 0; i < n; i += 2) {
            half[i] = 0;
        }
        // 50 % kept is above the sparse threshold: dense is smaller and as fast
        assertEquals("dense", StoredForms.of(SparseTensor.ofDense(shape, half), 64, 128, true).form());
        float[] fifth = gaussian(rnd, n);
        for (int i = 0; i < n; i++) {
            if (i % 5 != 0) {
                fifth[i] = 0;
            }
        }
        LinearWeights sparse = StoredForms.of(SparseTensor.ofDense(shape, fifth), 64, 128, true);
        assertEquals("sparse-csr", sparse.form());
        assertTrue(sparse.residentBytes() < 4L * n / 3, "CSR of 20 % kept: " + sparse.residentBytes());
        assertEquals("dense", StoredForms.of(new CodebookTensor(shape, 4, gaussian(rnd, 16), null, codes), 64, 128,
                false).form());
    }
}
