package org.mtcompress.model;

/** The sinusoidal position encodings the SameDiff graphs and the plain-Java decoder ({@code infer}) both add. */
public final class PositionEncoding {
    private PositionEncoding() {
    }

    /** "Attention Is All You Need" 3.5: sin on even, cos on odd columns; {@code n} positions of width {@code d}. */
    public static float[][] sinusoids(int n, int d) {
        float[][] pe = new float[n][d];
        for (int pos = 0; pos < n; pos++) {
            for (int i = 0; i < d; i += 2) {
                double angle = pos / Math.pow(10000, (double) i / d);
                pe[pos][i] = (float) Math.sin(angle);
                if (i + 1 < d) {
                    pe[pos][i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }
}
