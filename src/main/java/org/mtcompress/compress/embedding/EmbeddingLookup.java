package org.mtcompress.compress.embedding;

/**
 * Rows of an embedding table looked up by token id into a caller's float buffer. The model's input layer can
 * take any implementation: {@link #dense} for a plain float table, {@link PackedIntTable} for the fused
 * gather + dequantize of a packed intN table that never builds the dense table.
 */
public interface EmbeddingLookup {
    /** Number of rows (vocabulary size). */
    int rows();

    /** Values per row (embedding dimension). */
    int dim();

    /** Writes row {@code ids[from + i]} to {@code out[outOffset + i * dim() ..]} for {@code i < count}. */
    void gather(int[] ids, int from, int count, float[] out, int outOffset);

    /** A dense row-major {@code [rows, dim]} table (not copied), gathered with {@code System.arraycopy}. */
    static EmbeddingLookup dense(float[] table, int rows, int dim) {
        if (rows < 1 || dim < 1 || (long) rows * dim != table.length) {
            throw new IllegalArgumentException("shape [" + rows + ", " + dim + "] does not match " + table.length
                    + " values");
        }
        return new EmbeddingLookup() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public void gather(int[] ids, int from, int count, float[] out, int outOffset) {
                for (int i = 0; i < count; i++) {
                    int id = ids[from + i];
                    if (id < 0 || id >= rows) {
                        throw new IndexOutOfBoundsException("id " + id + " at " + (from + i) + " outside [0, " + rows + ")");
                    }
                    System.arraycopy(table, id * dim, out, outOffset + i * dim, dim);
                }
            }
        };
    }
}
