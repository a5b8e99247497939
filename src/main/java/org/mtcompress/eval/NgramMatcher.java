package org.mtcompress.eval;

/**
 * Clipped n-gram matches between two bags of packed n-gram keys, {@code sum over keys of min(count in a,
 * count in b)}, with a reusable open-addressing table (linear probing; a slot is live when its stamp equals the
 * current call's stamp, so nothing is cleared between calls). Not thread-safe.
 */
final class NgramMatcher {
    private long[] keys = new long[256];
    private int[] counts = new int[256];
    private int[] stamps = new int[256];
    private int stamp;

    /** Keys of the n-grams of {@code ids} in order, {@code bits} bits per id, first id in the highest bits. */
    static long[] keys(int[] ids, int n, int bits) {
        int count = ids.length - n + 1;
        if (count <= 0) {
            return new long[0];
        }
        long[] k = new long[count];
        for (int i = 0; i < count; i++) {
            long key = 0;
            for (int j = 0; j < n; j++) {
                key = (key << bits) | ids[i + j];
            }
            k[i] = key;
        }
        return k;
    }

    /** min-count matches of the first {@code na} keys of {@code a} against the first {@code nb} of {@code b}. */
    int matches(long[] a, int na, long[] b, int nb) {
        if (na == 0 || nb == 0) {
            return 0;
        }
        int cap = Integer.highestOneBit(Math.max(16, na * 2 - 1)) << 1;
        if (cap > keys.length) {
            keys = new long[cap];
            counts = new int[cap];
            stamps = new int[cap];
            stamp = 0;
        }
        if (++stamp == Integer.MAX_VALUE) {
            java.util.Arrays.fill(stamps, 0);
            stamp = 1;
        }
        int mask = keys.length - 1;
        for (int i = 0; i < na; i++) {
            long k = a[i];
            int h = hash(k) & mask;
            while (stamps[h] == stamp && keys[h] != k) {
                h = (h + 1) & mask;
            }
            if (stamps[h] == stamp) {
                counts[h]++;
            } else {
                stamps[h] = stamp;
                keys[h] = k;
                counts[h] = 1;
            }
        }
        int m = 0;
        for (int i = 0; i < nb; i++) {
            long k = b[i];
            int h = hash(k) & mask;
            while (stamps[h] == stamp && keys[h] != k) {
                h = (h + 1) & mask;
            }
            if (stamps[h] == stamp && counts[h] > 0) {
                counts[h]--;
                m++;
            }
        }
        return m;
    }

    private static int hash(long k) {
        long x = k * 0x9E3779B97F4A7C15L;
        return (int) (x >>> 32) ^ (int) x;
    }
}
