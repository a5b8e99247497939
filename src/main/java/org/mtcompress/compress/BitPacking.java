package org.mtcompress.compress;

/**
 * Fixed-width bit packing of non-negative integer codes. Layout: code {@code i} occupies bits
 * {@code [i*bits, (i+1)*bits)} of a little-endian bit stream (bit 0 of byte 0 first); the last byte is
 * zero-padded. {@code n} codes take {@code ceil(n*bits/8)} bytes.
 */
public final class BitPacking {
    private BitPacking() {
    }

    public static int packedBytes(long n, int bits) {
        long bytes = (n * bits + 7) / 8;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many codes to pack: " + n + " x " + bits + " bits");
        }
        return (int) bytes;
    }

    /** Packs {@code codes} (each in {@code [0, 2^bits)}, read as unsigned) with {@code bits} in 1..32. */
    public static byte[] pack(int[] codes, int bits) {
        checkBits(bits);
        byte[] out = new byte[packedBytes(codes.length, bits)];
        long mask = (1L << bits) - 1;
        long acc = 0;
        int filled = 0;
        int pos = 0;
        for (int code : codes) {
            long c = code & 0xFFFFFFFFL;
            if ((c & ~mask) != 0) {
                throw new IllegalArgumentException("code " + code + " does not fit in " + bits + " bits");
            }
            acc |= c << filled;
            filled += bits;
            while (filled >= 8) {
                out[pos++] = (byte) acc;
                acc >>>= 8;
                filled -= 8;
            }
        }
        if (filled > 0) {
            out[pos] = (byte) acc;
        }
        return out;
    }

    /** Inverse of {@link #pack}: reads {@code n} codes of {@code bits} bits. */
    public static int[] unpack(byte[] packed, int n, int bits) {
        checkBits(bits);
        if (packed.length < packedBytes(n, bits)) {
            throw new IllegalArgumentException("packed data too short: " + packed.length + " bytes for " + n + " codes");
        }
        int[] out = new int[n];
        long mask = (1L << bits) - 1;
        long acc = 0;
        int filled = 0;
        int pos = 0;
        for (int i = 0; i < n; i++) {
            while (filled < bits) {
                acc |= (packed[pos++] & 0xFFL) << filled;
                filled += 8;
            }
            out[i] = (int) (acc & mask);
            acc >>>= bits;
            filled -= bits;
        }
        return out;
    }

    /** Bits needed for values in {@code [0, maxValue]} (at least 1). */
    public static int bitsFor(long maxValue) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(maxValue));
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 32) {
            throw new IllegalArgumentException("bits must be in 1..32, got " + bits);
        }
    }
}
