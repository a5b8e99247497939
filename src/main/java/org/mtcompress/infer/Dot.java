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
     * a block of rows they just dequantized, so both run the same compiled loop. Four input rows go through each
     * weight row together (each weight loaded once for four products); every output keeps {@link #dot}'s
     * summation order, so the result does not depend on how the inputs are grouped.
     */
    static void rows(float[] x, int n, int cols, float[] w, int wOff, int count, float[] bias, int r0, float[] y,
                     int rows) {
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int xi = i * cols, yi = i * rows + r0;
            for (int k = 0; k < count; k++) {
                dot4(x, xi, cols, w, wOff + k * cols, y, yi + k, rows, bias == null ? 0f : bias[r0 + k], bias != null);
            }
        }
        for (; i < n; i++) {
            int xi = i * cols, yi = i * rows + r0;
            for (int k = 0; k < count; k++) {
                float v = dot(x, xi, w, wOff + k * cols, cols);
                y[yi + k] = bias == null ? v : v + bias[r0 + k];
            }
        }
    }

    /**
     * {@link #dot} of input rows {@code x[xi ..]}, {@code x[xi + cols ..]}, {@code x[xi + 2 cols ..]} and
     * {@code x[xi + 3 cols ..]} with the weight row at {@code w[wi ..]}, into {@code y[yi]}, {@code y[yi + stride]},
     * {@code y[yi + 2 stride]}, {@code y[yi + 3 stride]} (plus {@code b} when {@code addBias}): the same eight
     * chains and the same combining order as {@link #dot} for each of the four.
     */
    private static void dot4(float[] x, int xi, int cols, float[] w, int wi, float[] y, int yi, int stride, float b,
                             boolean addBias) {
        final int x0 = xi, x1 = xi + cols, x2 = x1 + cols, x3 = x2 + cols;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        float b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
        float d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
        int j = 0;
        for (; j + 8 <= cols; j += 8) {
            float w0 = w[wi + j], w1 = w[wi + j + 1], w2 = w[wi + j + 2], w3 = w[wi + j + 3];
            float w4 = w[wi + j + 4], w5 = w[wi + j + 5], w6 = w[wi + j + 6], w7 = w[wi + j + 7];
            a0 += x[x0 + j] * w0; a1 += x[x0 + j + 1] * w1; a2 += x[x0 + j + 2] * w2; a3 += x[x0 + j + 3] * w3;
            a4 += x[x0 + j + 4] * w4; a5 += x[x0 + j + 5] * w5; a6 += x[x0 + j + 6] * w6; a7 += x[x0 + j + 7] * w7;
            b0 += x[x1 + j] * w0; b1 += x[x1 + j + 1] * w1; b2 += x[x1 + j + 2] * w2; b3 += x[x1 + j + 3] * w3;
            b4 += x[x1 + j + 4] * w4; b5 += x[x1 + j + 5] * w5; b6 += x[x1 + j + 6] * w6; b7 += x[x1 + j + 7] * w7;
            c0 += x[x2 + j] * w0; c1 += x[x2 + j + 1] * w1; c2 += x[x2 + j + 2] * w2; c3 += x[x2 + j + 3] * w3;
            c4 += x[x2 + j + 4] * w4; c5 += x[x2 + j + 5] * w5; c6 += x[x2 + j + 6] * w6; c7 += x[x2 + j + 7] * w7;
            d0 += x[x3 + j] * w0; d1 += x[x3 + j + 1] * w1; d2 += x[x3 + j + 2] * w2; d3 += x[x3 + j + 3] * w3;
            d4 += x[x3 + j + 4] * w4; d5 += x[x3 + j + 5] * w5; d6 += x[x3 + j + 6] * w6; d7 += x[x3 + j + 7] * w7;
        }
        for (; j < cols; j++) {
            float wj = w[wi + j];
            a0 += x[x0 + j] * wj;
            b0 += x[x1 + j] * wj;
            c0 += x[x2 + j] * wj;
            d0 += x[x3 + j] * wj;
        }
        float va = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        float vb = ((b0 + b1) + (b2 + b3)) + ((b4 + b5) + (b6 + b7));
        float vc = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7));
        float vd = ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
        y[yi] = addBias ? va + b : va;
        y[yi + stride] = addBias ? vb + b : vb;
        y[yi + 2 * stride] = addBias ? vc + b : vc;
        y[yi + 3 * stride] = addBias ? vd + b : vd;
    }
}
