package org.mtcompress.infer;

/**
 * What every stored form of a {@code [rows, cols]} matrix shares: the shape, and the product driven over blocks of
 * {@link LinearWeights#BLOCK_FLOATS} floats of rows (a block stays in the L1 cache while every input row is
 * multiplied with it, so a packed form's unpacking is paid once per product, not once per input row). A form
 * supplies its row decoder ({@link #readRows}) and, where it has a faster one, its own block product.
 */
public abstract class RowBlockWeights implements LinearWeights {
    protected final int rows, cols;

    protected RowBlockWeights(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("shape must be positive, got " + rows + " x " + cols);
        }
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final void multiply(float[] x, int n, float[] bias, float[] y) {
        int block = Math.max(1, Math.min(rows, BLOCK_FLOATS / cols));
        float[] buf = new float[block * cols];
        for (int r0 = 0; r0 < rows; r0 += block) {
            multiplyBlock(x, n, bias, y, r0, Math.min(block, rows - r0), buf);
        }
    }

    /**
     * {@code y[i * rows + r] = dot(x row i, W row r) (+ bias[r])} for {@code i < n} and the {@code count} rows from
     * {@code r0}. This one decodes the rows into {@code buf} (room for a block) and multiplies them there.
     */
    protected void multiplyBlock(float[] x, int n, float[] bias, float[] y, int r0, int count, float[] buf) {
        readRows(r0, count, buf, 0);
        Dot.rows(x, n, cols, buf, 0, count, bias, r0, y, rows);
    }
}
