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
     * {@code y[i * rows + r] = dot(x row i, W row r) + bias[r]} for {@code i < n}; {@code bias} may be null
     * ({@link RowBlockWeights} runs it over blocks of rows).
     */
    void multiply(float[] x, int n, float[] bias, float[] y);

    /** Bytes this form keeps in memory while decoding (codes, codebooks, scales, indices, values). */
    long residentBytes();

    /** Short name of the form ({@code dense}, {@code codebook-4bit}, {@code int4-g64}, {@code sparse-csr}). */
    String form();
}
