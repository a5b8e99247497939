package org.mtcompress.infer;

/**
 * The one dot product every dense and packed product ends in. Dense and packed weights give the same floats row
 * by row (the packed forms dequantize exactly), so sharing this loop, and its summation order, makes a packed
 * model's logits equal to the dense model's bit for bit.
 */
final class Dot {
    private Dot() {
    }

    /** {@code sum over j < n of a[ai + j] * b[bi + j]}, in eight interleaved partial sums (independent chains). */
    static float dot(float[] a, int ai, float[] b, int bi, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            s0 += a[ai + j] * b[bi + j];
            s1 += a[ai + j + 1] * b[bi + j + 1];
            s2 += a[ai + j + 2] * b[bi + j + 2];
            s3 += a[ai + j + 3] * b[bi + j + 3];
            s4 += a[ai + j + 4] * b[bi + j + 4];
            s5 += a[ai + j + 5] * b[bi + j + 5];
            s6 += a[ai + j + 6] * b[bi + j + 6];
            s7 += a[ai + j + 7] * b[bi + j + 7];
        }
        for (; j < n; j++) {
            s0 += a[ai + j] * b[bi + j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * {@code y[i * rows + r0 + k] = dot(x row i, w row k) (+ bias[r0 + k])} for {@code i < n}, {@code k < count},
     * where weight row k starts at {@code w[wOff + k * cols]}. Dense weights call it on their array, packed ones on
     * a block of rows they just dequantized, so both run the same compiled loop.
     */
    static void rows(float[] x, int n, int cols, float[] w, int wOff, int count, float[] bias, int r0, float[] y,
                     int rows) {
        for (int i = 0; i < n; i++) {
            int xi = i * cols, yi = i * rows + r0;
            for (int k = 0; k < count; k++) {
                float v = dot(x, xi, w, wOff + k * cols, cols);
                y[yi + k] = bias == null ? v : v + bias[r0 + k];
            }
        }
    }
}
