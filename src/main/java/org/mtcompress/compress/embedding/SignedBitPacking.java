package org.mtcompress.compress.embedding;

/**
 * Packs signed integers of 1..8 bits densely into bytes, at any byte offset of a larger buffer (so that each
 * row of a table can start on a byte boundary). The bit layout is that of
 * {@link org.mtcompress.compress.BitPacking} applied to offset codes.
 *
 * <p>Layout: a value {@code q} in {@code [-2^(b-1), 2^(b-1) - 1]} is stored as the unsigned code
 * {@code u = q + 2^(b-1)} (offset binary, as compressed-tensors does). Value {@code i} occupies bits
 * {@code [i*b, i*b + b)} of a little-endian bit stream: bit {@code k} of the stream is bit {@code k % 8} of byte
 * {@code k / 8}, so the first value sits in the low bits. For b = 4, byte {@code j} holds value {@code 2j} in
 * bits 0..3 and value {@code 2j+1} in bits 4..7; for b = 8 byte {@code j} is {@code u_j}. With b = 3, 5, 6, 7 a
 * value may straddle two bytes. The stream is padded with zero bits to a whole byte.
 */
public final class SignedBitPacking {
    private SignedBitPacking() {
    }

    /** Bytes needed for {@code count} values of {@code bits} bits. */
    public static int packedBytes(int count, int bits) {
        checkBits(bits);
        return (int) (((long) count * bits + 7) >>> 3);
    }

    /** Smallest signed value of {@code bits} bits. */
    public static int minValue(int bits) {
        return -(1 << (bits - 1));
    }

    /** Largest signed value of {@code bits} bits. */
    public static int maxValue(int bits) {
        return (1 << (bits - 1)) - 1;
    }

    public static void checkBits(int bits) {
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("packed bit width must be in 1..8, got " + bits);
        }
    }

    /** Packs all of {@code values} into a new array. */
    public static byte[] pack(int[] values, int bits) {
        byte[] out = new byte[packedBytes(values.length, bits)];
        pack(values, 0, values.length, bits, out, 0);
        return out;
    }

    /**
     * Packs {@code count} values from {@code values[from..]} into {@code out} starting at byte {@code outOffset}
     * (those bytes must be zero).
     */
    public static void pack(int[] values, int from, int count, int bits, byte[] out, int outOffset) {
        checkBits(bits);
        int lo = minValue(bits);
        int hi = maxValue(bits);
        int offset = 1 << (bits - 1);
        long bit = (long) outOffset * 8;
        for (int i = 0; i < count; i++, bit += bits) {
            int q = values[from + i];
            if (q < lo || q > hi) {
                throw new IllegalArgumentException("value " + q + " at " + (from + i) + " does not fit " + bits
                        + " bits [" + lo + ", " + hi + "]");
            }
            int u = q + offset;
            int byteIndex = (int) (bit >>> 3);
            int shift = (int) (bit & 7);
            int word = u << shift; // at most 8 + 7 bits: spans two bytes at most
            out[byteIndex] |= (byte) word;
            if (shift + bits > 8) {
                out[byteIndex + 1] |= (byte) (word >>> 8);
            }
        }
    }

    /** Unpacks {@code count} values. */
    public static int[] unpack(byte[] packed, int bits, int count) {
        int[] out = new int[count];
        unpack(packed, 0, bits, count, out, 0);
        return out;
    }

    /** Unpacks {@code count} values from the stream starting at byte {@code offset} into {@code out[outFrom..]}. */
    public static void unpack(byte[] packed, int offset, int bits, int count, int[] out, int outFrom) {
        checkBits(bits);
        if (packedBytes(count, bits) > packed.length - offset) {
            throw new IllegalArgumentException(count + " values of " + bits + " bits need "
                    + packedBytes(count, bits) + " bytes, only " + (packed.length - offset) + " available");
        }
        int mask = (1 << bits) - 1;
        int off = 1 << (bits - 1);
        long bit = (long) offset * 8;
        for (int i = 0; i < count; i++, bit += bits) {
            out[outFrom + i] = extract(packed, bit, bits, mask) - off;
        }
    }

    /** The unsigned code of {@code bits} bits starting at stream bit {@code bit}. */
    static int extract(byte[] packed, long bit, int bits, int mask) {
        int byteIndex = (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        int word = packed[byteIndex] & 0xFF;
        if (shift + bits > 8) {
            word |= (packed[byteIndex + 1] & 0xFF) << 8;
        }
        return (word >>> shift) & mask;
    }
}
