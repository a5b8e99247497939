package org.mtcompress.compress.embedding;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels of {@link PackedIntTable}'s fused lookup, with the incubating Vector API (JDK 17). Loaded only when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (the {@code mtc} launcher adds it for
 * {@code bench embedding}, the tests always); otherwise {@link PackedIntTable} uses its scalar loops. Both give the
 * same floats bit for bit: each value is {@code (float) q * scale} with the exact {@code q}.
 *
 * <p>Why: the scalar loop decodes one nibble at a time (a table load, a multiply and a store per value), 2-3x the
 * dense {@code arraycopy}; 8 float lanes per instruction bring it to about 1.3x.
 */
final class PackedIntVectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    private PackedIntVectorKernels() {
    }

    /**
     * 4 bits, every group full and a multiple of 32 values. Layout: byte p of a row holds value 2p in its low
     * nibble and 2p+1 in its high nibble, offset binary (q = nibble - 8). 16 bytes (32 values) at a time: widen
     * the bytes to 16-bit lanes, move the high nibble to the upper byte of each lane, so that read as bytes the
     * lanes are the nibbles in value order; then 4 x 8 of them become floats, minus 8, times the group's scale.
     */
    static void gather4(byte[] codes, float[] scales, int cols, int groupSize, int rowBytes, int[] ids, int from,
                        int count, float[] out, int outOffset) {
        final int groups = cols / groupSize;
        for (int i = 0; i < count; i++) {
            int row = ids[from + i];
            int p = row * rowBytes;
            int sb = row * groups;
            int j = outOffset + i * cols;
            for (int g = 0; g < groups; g++) {
                float s = scales[sb + g];
                for (int w = 0; w < groupSize; w += 32, p += 16, j += 32) {
                    ByteVector b = ByteVector.fromArray(ByteVector.SPECIES_128, codes, p);
                    ShortVector wide = (ShortVector) b.convertShape(VectorOperators.B2S, ShortVector.SPECIES_256, 0);
                    ShortVector nibbles = wide.and((short) 0x0F)
                            .or(wide.and((short) 0xF0).lanewise(VectorOperators.LSHL, 4));
                    ByteVector inOrder = nibbles.reinterpretAsBytes();
                    // constant part numbers: the JIT intrinsifies convertShape only for a constant part
                    toFloat(inOrder, 0).sub(8f).mul(s).intoArray(out, j);
                    toFloat(inOrder, 1).sub(8f).mul(s).intoArray(out, j + 8);
                    toFloat(inOrder, 2).sub(8f).mul(s).intoArray(out, j + 16);
                    toFloat(inOrder, 3).sub(8f).mul(s).intoArray(out, j + 24);
                }
            }
        }
    }

    /** Bytes {@code [8 * part, 8 * part + 8)} of {@code b} as 8 floats (sign-extended). */
    private static FloatVector toFloat(ByteVector b, int part) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, part);
    }

    /**
     * 8 bits, every group full and a multiple of 32 values. Layout: one byte per value, offset binary
     * (q = u - 128); flipping the top bit turns u into q as a signed byte, which widens exactly to float.
     */
    static void gather8(byte[] codes, float[] scales, int cols, int groupSize, int rowBytes, int[] ids, int from,
                        int count, float[] out, int outOffset) {
        final int groups = cols / groupSize;
        for (int i = 0; i < count; i++) {
            int row = ids[from + i];
            int p = row * rowBytes;
            int sb = row * groups;
            int j = outOffset + i * cols;
            for (int g = 0; g < groups; g++) {
                float s = scales[sb + g];
                for (int w = 0; w < groupSize; w += 32, p += 32, j += 32) {
                    ByteVector q = ByteVector.fromArray(ByteVector.SPECIES_256, codes, p)
                            .lanewise(VectorOperators.XOR, (byte) 0x80);
                    toFloat(q, 0).mul(s).intoArray(out, j);
                    toFloat(q, 1).mul(s).intoArray(out, j + 8);
                    toFloat(q, 2).mul(s).intoArray(out, j + 16);
                    toFloat(q, 3).mul(s).intoArray(out, j + 24);
                }
            }
        }
    }
}
