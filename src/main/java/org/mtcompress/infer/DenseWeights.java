package org.mtcompress.infer;

/** fp32 weights, row-major: the reference every packed form is compared against. */
public final class DenseWeights extends RowBlockWeights {
    private final float[] w;

    public DenseWeights(float[] w, int rows, int cols) {
        super(rows, cols);
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException(w.length + " values do not fill " + rows + " x " + cols);
        }
        this.w = w;
    }

    @Override
    public void readRows(int from, int count, float[] out, int outOffset) {
        System.arraycopy(w, from * cols, out, outOffset, count * cols);
    }

    /** Multiplies the rows where they are: nothing to decode. */
    @Override
    protected void multiplyBlock(float[] x, int n, float[] bias, float[] y, int r0, int count, float[] buf) {
        Dot.rows(x, n, cols, w, r0 * cols, count, bias, r0, y, rows);
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
