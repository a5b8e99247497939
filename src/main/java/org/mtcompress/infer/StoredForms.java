package org.mtcompress.infer;

import org.mtcompress.compress.CodebookTensor;
import org.mtcompress.compress.EncodedTensor;
import org.mtcompress.compress.PackedIntTensor;
import org.mtcompress.compress.SparseTensor;
import org.mtcompress.compress.UniformTensor;
import org.mtcompress.compress.embedding.ClippedUniformQuantizer;

/**
 * Which kernel each stored form of a weight matrix decodes with. A form without a kernel here (a new encoding
 * kind) is decoded to dense fp32, so every {@code .mtcz} still translates.
 */
public final class StoredForms {
    /**
     * A pruned matrix keeps its sparse form while at most this fraction of its weights is kept, else it is decoded
     * to dense. Why 0.3: the sparse product costs a 6-byte index+value read and an indexed load per kept weight,
     * the dense one a sequential multiply-add per weight; measured on the small model's shapes
     * ({@code mtc bench decode}), sparse wins at 80 % pruning, and below ~70 % the dense product is as fast and
     * smaller or equal in memory (CSR needs 6 bytes per kept weight, dense 4 per weight).
     */
    public static final double SPARSE_MAX_DENSITY = 0.3;

    private StoredForms() {
    }

    /** The weights of {@code t} seen as {@code [rows, cols]}: in their stored form when {@code packed}, else dense. */
    public static LinearWeights of(EncodedTensor t, int rows, int cols, boolean packed) {
        if ((long) rows * cols != elements(t.shape())) {
            throw new IllegalArgumentException("a tensor of shape " + java.util.Arrays.toString(t.shape())
                    + " is not " + rows + " x " + cols);
        }
        if (packed) {
            if (t instanceof CodebookTensor c) {
                return new CodebookWeights(c.codes(), c.indexBits(), c.codebook(), rows, cols);
            }
            if (t instanceof UniformTensor u && u.levelBits() <= 16) {
                float[] levels = new float[1 << u.levelBits()];
                for (int q = 0; q < levels.length; q++) {
                    levels[q] = ClippedUniformQuantizer.levelValue(q, u.levelBits(), u.clip());
                }
                return new CodebookWeights(u.codes(), u.levelBits(), levels, rows, cols);
            }
            if (t instanceof PackedIntTensor p) {
                return new PackedIntWeights(p.table());
            }
            if (t instanceof SparseTensor s && s.positions().length <= SPARSE_MAX_DENSITY * rows * cols) {
                return new SparseWeights(s.positions(), s.values(), rows, cols);
            }
        }
        return new DenseWeights(t.decode(), rows, cols);
    }

    /**
     * Bytes the packed decoder holds for {@code params}, those in {@code encoding} in their stored forms: the sum
     * of each matrix's {@link LinearWeights#residentBytes()} and 4 bytes per element of every other tensor.
     */
    public static long residentBytes(org.mtcompress.model.NamedParameters params, org.mtcompress.compress.Encoding encoding) {
        long total = 0;
        for (String name : params.names()) {
            long[] shape = params.shape(name);
            EncodedTensor t = encoding.tensors().get(name);
            if (t != null && shape.length == 2) {
                total += of(t, (int) shape[0], (int) shape[1], true).residentBytes();
            } else {
                total += 4 * elements(shape);
            }
        }
        return total;
    }

    static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
