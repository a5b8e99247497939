package org.mtcompress.infer;

/**
 * A pruned matrix in compressed sparse rows: per row the column indices (16-bit while the row is at most 65,536
 * wide) and fp32 values of the kept weights. The product reads only the kept weights (a gather from the input
 * row per weight); see {@link StoredForms#SPARSE_MAX_DENSITY} for when this beats the dense product.
 */
public final class SparseWeights extends RowBlockWeights {
    private final int[] rowStart;
    private final char[] col;
    private final float[] val;

    /** From row-major positions (increasing) and their values. */
    public SparseWeights(int[] positions, float[] values, int rows, int cols) {
        super(rows, cols);
        if (cols > 65536) {
            throw new IllegalArgumentException("rows wider than 65,536 are not supported, got " + cols);
        }
        this.rowStart = new int[rows + 1];
        this.col = new char[positions.length];
        this.val = values.clone();
        for (int k = 0; k < positions.length; k++) {
            rowStart[positions[k] / cols + 1]++;
            col[k] = (char) (positions[k] % cols);
        }
        for (int r = 0; r < rows; r++) {
            rowStart[r + 1] += rowStart[r];
        }
    }

    @Override
    public void readRows(int from, int count, float[] out, int outOffset) {
        java.util.Arrays.fill(out, outOffset, outOffset + count * cols, 0f);
        for (int r = from; r < from + count; r++) {
            int base = outOffset + (r - from) * cols;
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                out[base + col[k]] = val[k];
            }
        }
    }

    /** Reads only the kept weights of each row, gathering their inputs: no block is decoded. */
    @Override
    protected void multiplyBlock(float[] x, int n, float[] bias, float[] y, int r0, int count, float[] buf) {
        for (int r = r0; r < r0 + count; r++) {
            int start = rowStart[r], end = rowStart[r + 1];
            for (int i = 0; i < n; i++) {
                int xi = i * cols;
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int k = start;
                for (; k + 4 <= end; k += 4) {
                    s0 += val[k] * x[xi + col[k]];
                    s1 += val[k + 1] * x[xi + col[k + 1]];
                    s2 += val[k + 2] * x[xi + col[k + 2]];
                    s3 += val[k + 3] * x[xi + col[k + 3]];
                }
                for (; k < end; k++) {
                    s0 += val[k] * x[xi + col[k]];
                }
                float v = (s0 + s1) + (s2 + s3);
                y[i * rows + r] = bias == null ? v : v + bias[r];
            }
        }
    }

    @Override
    public long residentBytes() {
        return 4L * rowStart.length + 2L * col.length + 4L * val.length;
    }

    @Override
    public String form() {
        return "sparse-csr";
    }
}
