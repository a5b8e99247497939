package org.mtcompress.compress;

import org.mtcompress.compress.embedding.ClippedUniformQuantizer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A tensor stored as uniform quantization levels over {@code [-clip, clip]}: one {@code bits}-bit level index
 * per value ({@code 2^bits} levels evenly spaced) plus the threshold as one float32, counted as table bits.
 * Payload: {@code int bits, float clip}, then the indices packed by {@link BitPacking} (length-prefixed).
 */
public record UniformTensor(long[] shape, int levelBits, float clip, int[] codes) implements EncodedTensor {
    public static final String KIND = "uniform";

    public UniformTensor {
        if (levelBits < 1 || levelBits > 31) {
            throw new IllegalArgumentException("bits must be in 1..31, got " + levelBits);
        }
        if (FloatIo.elements(shape) != codes.length) {
            throw new IllegalArgumentException("shape does not match " + codes.length + " codes");
        }
        for (int c : codes) {
            if (c < 0 || (levelBits < 31 && c >= (1 << levelBits))) {
                throw new IllegalArgumentException("level " + c + " outside " + levelBits + " bits");
            }
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public float[] decode() {
        float[] out = new float[codes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ClippedUniformQuantizer.levelValue(codes[i], levelBits, clip);
        }
        return out;
    }

    @Override
    public StorageBits bits() {
        return new StorageBits((long) levelBits * codes.length, Float.SIZE, 0, 0);
    }

    @Override
    public void writePayload(DataOutputStream out) throws IOException {
        out.writeInt(levelBits);
        out.writeFloat(clip);
        FloatIo.writeBytes(out, BitPacking.pack(codes, levelBits));
    }

    static UniformTensor read(long[] shape, DataInputStream in, Map<String, float[]> shared) throws IOException {
        int bits = in.readInt();
        float clip = in.readFloat();
        int n = Math.toIntExact(FloatIo.elements(shape));
        return new UniformTensor(shape, bits, clip, BitPacking.unpack(FloatIo.readBytes(in), n, bits));
    }
}
