package org.mtcompress.infer;

/** fp32 weights, row-major: the reference every packed form is compared against. */
public final class DenseWeights implements LinearWeights {
    private final float[] w;
    private final int rows, cols;

    public DenseWeights(float[] w, int rows, int cols) {
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException(w.length + " values do not fill " + rows + " x " + cols);
        }
        this.w = w;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void readRows(int from, int count, float[] out, int outOffset) {
        System.arraycopy(w, from * cols, out, outOffset, count * cols);
    }

    @Override
    public void multiply(float[] x, int n, float[] bias, float[] y) {
        for (int r0 = 0; r0 < rows; r0 += 64) {
            int end = Math.min(rows, r0 + 64);
            for (int i = 0; i < n; i++) {
                for (int r = r0; r < end; r++) {
                    float v = Dot.dot(x, i * cols, w, r * cols, cols);
                    y[i * rows + r] = bias == null ? v : v + bias[r];
                }
            }
        }
    }

    @Override
    public long residentBytes() {
        return 4L * w.length;
    }

    @Override
    public String form() {
        return "dense";
    }
}
