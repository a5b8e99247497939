package org.mtcompress.infer;

/**
 * A weight matrix {@code [rows, cols]} (PyTorch's {@code [out, in]}) kept in some stored form, with the two
 * operations decoding needs: the product {@code y = x W^T (+ bias)} and reading rows (embedding lookup). Each
 * form reads its rows as exactly the floats its {@code EncodedTensor} decodes to.
 */
public interface LinearWeights {
    /** Floats in one block of rows of a product (16 KB: stays in the L1 cache while every input row uses it). */
    int BLOCK_FLOATS = 4096;

    int rows();

    int cols();

    /** Rows {@code from .. from+count-1} as dense floats into {@code out[outOffset ..]}, row-major. */
    void readRows(int from, int count, float[] out, int outOffset);

    /** Row {@code ids[from + i]} into {@code out[outOffset + i * cols ..]} for {@code i < count}. */
    default void gather(int[] ids, int from, int count, float[] out, int outOffset) {
        for (int i = 0; i < count; i++) {
            readRows(ids[from + i], 1, out, outOffset + i * cols());
        }
    }

    /**
     * {@code y[i * rows + r] = dot(x row i, W row r) + bias[r]} for {@code i < n}; {@code bias} may be null. The
     * default dequantizes a block of rows at a time into a small buffer (the block stays in cache while every input
     * row is multiplied with it, so the unpacking is paid once per step, not once per row of the batch).
     */
    default void multiply(float[] x, int n, float[] bias, float[] y) {
        int rows = rows(), cols = cols();
        int block = Math.max(1, Math.min(rows, BLOCK_FLOATS / Math.max(1, cols)));
        float[] buf = new float[block * cols];
        for (int r0 = 0; r0 < rows; r0 += block) {
            int count = Math.min(block, rows - r0);
            readRows(r0, count, buf, 0);
            Dot.rows(x, n, cols, buf, 0, count, bias, r0, y, rows);
        }
    }

    /** Bytes this form keeps in memory while decoding (codes, codebooks, scales, indices, values). */
    long residentBytes();

    /** Short name of the form ({@code dense}, {@code codebook-4bit}, {@code int4-g64}, {@code sparse-csr}). */
    String form();
}
