package org.mtcompress.compress.embedding;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels of {@link PackedIntTable}'s fused lookup, with the incubating Vector API (JDK 17). Loaded only when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (the {@code mtc} launcher adds it for
 * {@code bench embedding}, the tests always); otherwise {@link PackedIntTable} uses its scalar loops. Both give the
 * same floats bit for bit: each value is {@code (float) q * scale} with the exact {@code q}.
 *
 * <p>Why: the scalar loop decodes one nibble at a time (a table load, a multiply and a store per value), 2-3x the
 * dense {@code arraycopy}; 8 float lanes per instruction bring it to 1.0-1.2x.
 */
final class PackedIntVectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

    private PackedIntVectorKernels() {
    }

    /** Lane m of the 8 ints of bytes b0..b7 takes byte m/2 (values 0..7 of 16) or 4 + m/2 (values 8..15). */
    private static final VectorShuffle<Integer> FIRST_EIGHT = VectorShuffle.fromValues(I, 0, 0, 1, 1, 2, 2, 3, 3);
    private static final VectorShuffle<Integer> LAST_EIGHT = VectorShuffle.fromValues(I, 4, 4, 5, 5, 6, 6, 7, 7);
    /** Even values sit in the low nibble, odd ones in the high nibble. */
    private static final IntVector NIBBLE_SHIFT = IntVector.fromArray(I, new int[]{0, 4, 0, 4, 0, 4, 0, 4}, 0);

    /**
     * 4 bits, every group full and a multiple of 16 values. Layout: byte p of a row holds value 2p in its low
     * nibble and 2p+1 in its high nibble, offset binary (q = nibble - 8). 8 bytes (16 values) at a time: widen the
     * bytes to 8 int lanes, then twice: duplicate each byte into two lanes (one permute), shift the odd lanes by
     * 4, keep 4 bits, minus 8, to float, times the group's scale, store 8 floats.
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
                for (int w = 0; w < groupSize; w += 16, p += 8, j += 16) {
                    // sign extension is harmless: the shift and the mask keep bits 0..3 or 4..7 of the byte
                    IntVector b = (IntVector) ByteVector.fromArray(ByteVector.SPECIES_64, codes, p)
                            .convertShape(VectorOperators.B2I, I, 0);
                    toFloat(b.rearrange(FIRST_EIGHT)).mul(s).intoArray(out, j);
                    toFloat(b.rearrange(LAST_EIGHT)).mul(s).intoArray(out, j + 8);
                }
            }
        }
    }

    /** The nibble each lane selects, minus 8, as float (exact). */
    private static FloatVector toFloat(IntVector duplicated) {
        return (FloatVector) duplicated.lanewise(VectorOperators.LSHR, NIBBLE_SHIFT).and(15).sub(8)
                .convertShape(VectorOperators.I2F, F, 0);
    }

    /**
     * 8 bits, every group full and a multiple of 8 values. Layout: one byte per value, offset binary
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
                for (int w = 0; w < groupSize; w += 8, p += 8, j += 8) {
                    ByteVector q = ByteVector.fromArray(ByteVector.SPECIES_64, codes, p)
                            .lanewise(VectorOperators.XOR, (byte) 0x80);
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(s).intoArray(out, j);
                }
            }
        }
    }
}
