package org.mtcompress.compress;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A tensor stored as a codebook of fp32 centroids and one {@code indexBits}-bit index per element (k-means weight
 * sharing, binarization). The codebook is either the tensor's own or a table shared with other tensors
 * ({@code sharedKey} non-null, stored once in the {@link Encoding}).
 *
 * <p>Payload: {@code int bits}; then either {@code bool shared=false, int k, k floats} or
 * {@code bool shared=true, UTF key}; then the indices packed by {@link BitPacking} (length-prefixed).
 */
public record CodebookTensor(long[] shape, int indexBits, float[] codebook, String sharedKey, int[] codes)
        implements EncodedTensor {
    public static final String KIND = "codebook";

    public CodebookTensor {
        if (indexBits < 1 || indexBits > 32) {
            throw new IllegalArgumentException("bits must be in 1..32, got " + indexBits);
        }
        if (FloatIo.elements(shape) != codes.length) {
            throw new IllegalArgumentException("shape does not match " + codes.length + " codes");
        }
        if (indexBits < 31 && codebook.length > (1L << indexBits)) {
            throw new IllegalArgumentException(codebook.length + " centroids do not fit in " + indexBits + " bits");
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
        float[] out = new float[codes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = codebook[codes[i]];
        }
        return out;
    }

    @Override
    public StorageBits bits() {
        return new StorageBits((long) indexBits * codes.length, sharedKey == null ? 32L * codebook.length : 0, 0, 0);
    }

    @Override
    public void writePayload(DataOutputStream out) throws IOException {
        new CodebookHeader(indexBits, codebook, sharedKey).write(out);
        FloatIo.writeBytes(out, BitPacking.pack(codes, indexBits));
    }

    static CodebookTensor read(long[] shape, DataInputStream in, Map<String, float[]> shared) throws IOException {
        CodebookHeader header = CodebookHeader.read(in, shared);
        int n = Math.toIntExact(FloatIo.elements(shape));
        int[] codes = BitPacking.unpack(FloatIo.readBytes(in), n, header.indexBits());
        header.checkCodes(codes);
        return new CodebookTensor(shape, header.indexBits(), header.codebook(), header.sharedKey(), codes);
    }
}
