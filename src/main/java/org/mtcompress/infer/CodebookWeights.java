package org.mtcompress.infer;

import org.mtcompress.compress.BitPacking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Weights stored as a codebook of fp32 centroids plus one {@code bits}-bit index per weight (k-means weight
 * sharing, binarization, uniform levels): the index-and-codebook product reads a block of rows' indices, looks up
 * their centroids into a small buffer and multiplies it with every input row ({@link LinearWeights#multiply}).
 * Resident: the packed indices and the codebook only.
 */
public final class CodebookWeights extends RowBlockWeights {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Index of weight {@code e} (row-major) in bits {@code [e * bits, (e + 1) * bits)} of a little-endian bit
     * stream ({@link BitPacking}'s layout), plus 8 zero bytes so that one 64-bit load always covers an index.
     */
    private final byte[] packed;
    private final float[] codebook;
    private final int bits;

    public CodebookWeights(int[] codes, int bits, float[] codebook, int rows, int cols) {
        super(rows, cols);
        if ((long) rows * cols != codes.length) {
            throw new IllegalArgumentException(codes.length + " codes do not fill " + rows + " x " + cols);
        }
        if (bits < 1 || bits > 32) {
            throw new IllegalArgumentException("bits must be in 1..32, got " + bits);
        }
        for (int c : codes) {
            if (c < 0 || c >= codebook.length) {
                throw new IllegalArgumentException("code " + c + " outside a codebook of " + codebook.length);
            }
        }
        byte[] p = BitPacking.pack(codes, bits);
        this.packed = java.util.Arrays.copyOf(p, p.length + 8);
        this.codebook = codebook.clone();
        this.bits = bits;
    }

    @Override
    public void readRows(int from, int count, float[] out, int outOffset) {
        final long mask = (1L << bits) - 1;
        long bit = (long) from * cols * bits;
        int n = count * cols;
        for (int j = 0; j < n; j++, bit += bits) {
            long word = (long) LONG_LE.get(packed, (int) (bit >>> 3));
            out[outOffset + j] = codebook[(int) ((word >>> (bit & 7)) & mask)];
        }
    }

    @Override
    public long residentBytes() {
        return packed.length + 4L * codebook.length;
    }

    @Override
    public String form() {
        return "codebook-" + bits + "bit";
    }
}
