package org.mtcompress.eval;

/**
 * NumPy's default random generator ({@code numpy.random.default_rng(seed)}: PCG64 seeded through
 * {@code SeedSequence}), reproduced bit for bit for the two draws sacreBLEU's significance tests make:
 * {@code rng.choice(n, size, replace=True)} (bootstrap indices) and {@code rng.integers(2, size, dtype=bool)}
 * (approximate-randomization swaps). With the same seed (sacreBLEU's default is 12345) the resamples, and so
 * the p-values and confidence intervals, are the ones sacreBLEU computes.
 *
 * <p>State layout: the 128-bit LCG state and increment are kept as (high, low) pairs of unsigned longs.
 * Algorithms: SeedSequence entropy mixing (pool of four 32-bit words, hashmix constants from NumPy),
 * PCG64 = 128-bit LCG step then XSL-RR output, 32-bit draws take the low then the high half of one 64-bit
 * output, bounded integers use Lemire's multiply-and-reject on 32-bit draws (range below 2^32), booleans take
 * successive bits of a 32-bit draw, lowest first.
 */
public final class NumpyRandom {
    private static final long MULT_HI = 0x2360ED051FC65DA4L;
    private static final long MULT_LO = 0x4385DF649FCCF645L;

    private long stateHi;
    private long stateLo;
    private final long incHi;
    private final long incLo;
    private boolean hasUint32;
    private int uinteger;

    /** {@code numpy.random.default_rng(seed)} for a non-negative seed below 2^32. */
    public NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("seed must be in [0, 2^32), got " + seed);
        }
        long[] v = seedSequenceState((int) seed, 4);
        // pcg64_set_seed: initstate = (v0 << 64) | v1, initseq = (v2 << 64) | v3
        long initHi = v[0];
        long initLo = v[1];
        // inc = (initseq << 1) | 1
        incHi = (v[2] << 1) | (v[3] >>> 63);
        incLo = (v[3] << 1) | 1L;
        stateHi = 0;
        stateLo = 0;
        step();
        long lo = stateLo + initLo;
        long carry = Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0;
        stateHi = stateHi + initHi + carry;
        stateLo = lo;
        step();
    }

    /** SeedSequence(seed).generate_state(nWords, uint64) for a single 32-bit entropy word. */
    static long[] seedSequenceState(int entropy, int nWords64) {
        final int initA = 0x43b0d7e5;
        final int multA = 0x931e8875;
        final int initB = 0x8b51f9dd;
        final int multB = 0x58f38ded;
        final int poolSize = 4;
        int[] hashConst = {initA};
        int[] pool = new int[poolSize];
        for (int i = 0; i < poolSize; i++) {
            pool[i] = hashmix(i == 0 ? entropy : 0, hashConst, multA);
        }
        for (int src = 0; src < poolSize; src++) {
            for (int dst = 0; dst < poolSize; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst, multA));
                }
            }
        }
        int n32 = 2 * nWords64;
        int[] words = new int[n32];
        int h = initB;
        for (int i = 0; i < n32; i++) {
            int v = pool[i % poolSize];
            v ^= h;
            h *= multB;
            v *= h;
            v ^= v >>> 16;
            words[i] = v;
        }
        long[] out = new long[nWords64];
        for (int i = 0; i < nWords64; i++) {
            out[i] = (words[2 * i] & 0xFFFFFFFFL) | ((long) words[2 * i + 1] << 32);
        }
        return out;
    }

    private static int hashmix(int value, int[] hashConst, int multA) {
        value ^= hashConst[0];
        hashConst[0] *= multA;
        value *= hashConst[0];
        value ^= value >>> 16;
        return value;
    }

    private static int mix(int x, int y) {
        int r = 0xca01f9dd * x - 0x4973f715 * y;
        r ^= r >>> 16;
        return r;
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private void step() {
        // state = state * MULT + inc (mod 2^128)
        long lo = stateLo * MULT_LO;
        long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
        long lo2 = lo + incLo;
        long carry = Long.compareUnsigned(lo2, lo) < 0 ? 1 : 0;
        stateHi = hi + incHi + carry;
        stateLo = lo2;
    }

    /** The next raw 64-bit output ({@code bit_generator.random_raw()}). */
    public long nextLong() {
        step();
        long value = stateHi ^ stateLo;
        int rot = (int) (stateHi >>> 58);
        return Long.rotateRight(value, rot);
    }

    /** {@code rng.random()}: the top 53 bits of a 64-bit output scaled to [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * (1.0 / 9007199254740992.0);
    }

    /** The next 32-bit draw: the low half of a 64-bit output, then its high half. */
    public int nextInt() {
        if (hasUint32) {
            hasUint32 = false;
            return uinteger;
        }
        long next = nextLong();
        hasUint32 = true;
        uinteger = (int) (next >>> 32);
        return (int) next;
    }

    /** A uniform integer in [0, rng] for 0 &lt; rng &lt; 2^32 - 1 (Lemire's method, as NumPy does it). */
    long boundedLemire32(long rng) {
        long rngExcl = rng + 1;
        long m = (nextInt() & 0xFFFFFFFFL) * rngExcl;
        long leftover = m & 0xFFFFFFFFL;
        if (leftover < rngExcl) {
            long threshold = (0xFFFFFFFFL - rng) % rngExcl;
            while (leftover < threshold) {
                m = (nextInt() & 0xFFFFFFFFL) * rngExcl;
                leftover = m & 0xFFFFFFFFL;
            }
        }
        return m >>> 32;
    }

    /**
     * {@code rng.choice(n, size=rows*cols, replace=True)} filled row-major into {@code out} (length at least
     * rows*cols): each row is one bootstrap resample of indices in [0, n).
     */
    public void choice(int n, int[] out, int count) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive");
        }
        if (n == 1) {
            java.util.Arrays.fill(out, 0, count, 0);
            return;
        }
        long rng = n - 1L;
        for (int i = 0; i < count; i++) {
            out[i] = (int) boundedLemire32(rng);
        }
    }

    /** {@code rng.integers(2, size=count, dtype=bool)} into {@code out}. */
    public void booleans(boolean[] out, int count) {
        int buf = 0;
        int bcnt = 0;
        for (int i = 0; i < count; i++) {
            if (bcnt == 0) {
                buf = nextInt();
                bcnt = 31;
            } else {
                buf >>>= 1;
                bcnt--;
            }
            out[i] = (buf & 1) != 0;
        }
    }
}
