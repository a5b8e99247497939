package org.mtcompress.compress;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A pruned, then codebook-quantized tensor (Deep Compression's prune then k-means): a keep-mask, one
 * {@code indexBits}-bit codebook index per kept element, and the fp32 codebook (the tensor's own, or a table
 * shared with other tensors, {@code sharedKey} non-null). Pruned elements are exactly 0 and have no index.
 *
 * <p>Storage: mask {@code n} bits (a bitmap, one bit per element), indices {@code indexBits × kept}, codebook
 * {@code 32 × k} bits unless shared. Payload: {@code int bits}; {@code bool shared=false, int k, k floats} or
 * {@code bool shared=true, UTF key}; {@code int kept}; the bitmap (bit {@code p & 7} of byte {@code p >>> 3} set
 * for a kept element {@code p}, length-prefixed); the kept elements' indices in position order, packed by
 * {@link BitPacking} (length-prefixed).
 *
 * @param positions the kept elements' row-major positions, increasing
 * @param codes     the kept elements' codebook indices, in the order of {@code positions}
 */
public record MaskedCodebookTensor(long[] shape, int indexBits, float[] codebook, String sharedKey, int[] positions,
                                   int[] codes) implements EncodedTensor {
    public static final String KIND = "masked_codebook";

    public MaskedCodebookTensor {
        if (indexBits < 1 || indexBits > 32) {
            throw new IllegalArgumentException("bits must be in 1..32, got " + indexBits);
        }
        if (positions.length != codes.length) {
            throw new IllegalArgumentException(positions.length + " kept positions but " + codes.length + " codes");
        }
        if (indexBits < 31 && codebook.length > (1L << indexBits)) {
            throw new IllegalArgumentException(codebook.length + " centroids do not fit in " + indexBits + " bits");
        }
        long n = FloatIo.elements(shape);
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= n || (i > 0 && positions[i] <= positions[i - 1])) {
                throw new IllegalArgumentException("kept positions must be increasing and inside the tensor");
            }
            if (codes[i] < 0 || codes[i] >= codebook.length) {
                throw new IllegalArgumentException("index " + codes[i] + " outside a codebook of " + codebook.length);
            }
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String sharedTable() {
        return sharedKey;
    }

    @Override
    public float[] decode() {
        float[] out = new float[Math.toIntExact(FloatIo.elements(shape))];
        for (int i = 0; i < positions.length; i++) {
            out[positions[i]] = codebook[codes[i]];
        }
        return out;
    }

    @Override
    public StorageBits bits() {
        return new StorageBits((long) indexBits * codes.length, sharedKey == null ? 32L * codebook.length : 0,
                FloatIo.elements(shape), 0);
    }

    @Override
    public void writePayload(DataOutputStream out) throws IOException {
        new CodebookHeader(indexBits, codebook, sharedKey).write(out);
        out.writeInt(positions.length);
        byte[] bitmap = new byte[BitPacking.packedBytes(FloatIo.elements(shape), 1)];
        for (int p : positions) {
            bitmap[p >>> 3] |= (byte) (1 << (p & 7));
        }
        FloatIo.writeBytes(out, bitmap);
        FloatIo.writeBytes(out, BitPacking.pack(codes, indexBits));
    }

    static MaskedCodebookTensor read(long[] shape, DataInputStream in, Map<String, float[]> shared) throws IOException {
        CodebookHeader header = CodebookHeader.read(in, shared);
        int kept = in.readInt();
        int n = Math.toIntExact(FloatIo.elements(shape));
        byte[] bitmap = FloatIo.readBytes(in);
        if (kept < 0 || kept > n || bitmap.length != BitPacking.packedBytes(n, 1)) {
            throw new IOException("mask of " + bitmap.length + " bytes and " + kept + " kept elements does not fit "
                    + n + " elements");
        }
        int[] pos = new int[kept];
        int j = 0;
        for (int p = 0; p < n; p++) {
            if ((bitmap[p >>> 3] >>> (p & 7) & 1) != 0) {
                if (j == kept) {
                    throw new IOException("mask has more than " + kept + " bits set");
                }
                pos[j++] = p;
            }
        }
        if (j != kept) {
            throw new IOException("mask has " + j + " bits set, expected " + kept);
        }
        int[] codes = BitPacking.unpack(FloatIo.readBytes(in), kept, header.indexBits());
        header.checkCodes(codes);
        return new MaskedCodebookTensor(shape, header.indexBits(), header.codebook(), header.sharedKey(), pos, codes);
    }
}
