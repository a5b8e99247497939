package org.mtcompress.infer;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The blocked product gives each output exactly the floats of the one-row dot product, whatever the grouping. */
class DotTest {
    @Test
    void rowsEqualsOneDotPerOutputBitForBit() {
        Random rnd = new Random(11);
        for (int[] s : new int[][] {{7, 5, 45}, {4, 3, 8}, {9, 16, 256}, {1, 2, 3}, {13, 1, 129}}) {
            int n = s[0], count = s[1], cols = s[2], rows = count + 3, r0 = 2, wOff = 5;
            float[] x = new float[n * cols], w = new float[wOff + count * cols], bias = new float[rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < rows; i++) {
                bias[i] = (float) rnd.nextGaussian();
            }
            for (float[] b : new float[][] {null, bias}) {
                float[] y = new float[n * rows];
                Dot.rows(x, n, cols, w, wOff, count, b, r0, y, rows);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < count; k++) {
                        float v = Dot.dot(x, i * cols, w, wOff + k * cols, cols);
                        float expected = b == null ? v : v + b[r0 + k];
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(y[i * rows + r0 + k]),
                                "n " + n + " cols " + cols + " y[" + i + ", " + k + "]");
                    }
                }
            }
        }
    }
}
