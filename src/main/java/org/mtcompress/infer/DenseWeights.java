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
        int block = Math.max(1, Math.min(rows, BLOCK_FLOATS / Math.max(1, cols)));
        for (int r0 = 0; r0 < rows; r0 += block) {
            Dot.rows(x, n, cols, w, r0 * cols, Math.min(block, rows - r0), bias, r0, y, rows);
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
