package org.mtcompress.compress.embedding;

import java.util.Arrays;

/**
 * Uniform quantization with automatic clipping, the Smallfry method (May et al., "On the Downstream
 * Performance of Compressed Word Embeddings", NeurIPS 2019). Per tensor, a threshold {@code r} in
 * {@code [0, max|w|]} is chosen by golden-section search to minimise {@code ||w - Q(clip(w, -r, r))||^2}, where
 * {@code Q} rounds to the nearest of {@code 2^b} levels evenly spaced over {@code [-r, r]} (deterministic
 * rounding, ties to the even level index). Clipping trades a little error on the few large values for a finer
 * grid on the many small ones.
 *
 * <p>A tensor that already has at most {@code 2^b} distinct values is kept as is (it needs no more than
 * {@code b} bits per value with a codebook). The search tolerance is relative to {@code max|w|}, because
 * Transformer embeddings are small and an absolute tolerance would be meaningless.
 *
 * <p>Storage: one {@code b}-bit level index per value plus {@code r} as one float32.
 */
public final class ClippedUniformQuantizer {
    /** Bit widths the method is defined for. */
    public static final int[] ALLOWED_BITS = {1, 2, 4, 8, 16, 32};
    /** Default search tolerance, as a fraction of {@code max|w|}. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-4;

    private ClippedUniformQuantizer() {
    }

    /**
     * What quantization did to one tensor.
     *
     * @param values       the quantized values (dequantized to float), same length as the input
     * @param bits         bits per value
     * @param clip         the chosen threshold r, float32 (max|w| when kept as is)
     * @param maxAbs       max|w| of the input
     * @param mse          mean squared error with the chosen r
     * @param mseNoClip    mean squared error with r = max|w| (plain uniform quantization)
     * @param keptAsIs     true when the tensor had at most 2^b distinct values and was not changed
     */
    public record Result(float[] values, int bits, float clip, double maxAbs, double mse, double mseNoClip,
                         boolean keptAsIs) {
    }

    /** Checks {@code bits} is one of {@link #ALLOWED_BITS}. */
    public static void checkBits(int bits) {
        for (int b : ALLOWED_BITS) {
            if (b == bits) {
                return;
            }
        }
        throw new IllegalArgumentException("bits must be one of " + Arrays.toString(ALLOWED_BITS) + ", got " + bits);
    }

    /** Quantizes {@code w} with {@link #DEFAULT_RELATIVE_TOLERANCE}. */
    public static Result quantize(float[] w, int bits) {
        return quantize(w, bits, DEFAULT_RELATIVE_TOLERANCE);
    }

    /** Quantizes {@code w} to {@code bits} bits, choosing the clipping threshold by golden-section search. */
    public static Result quantize(float[] w, int bits, double relativeTolerance) {
        checkBits(bits);
        if (!(relativeTolerance > 0 && relativeTolerance < 1)) {
            throw new IllegalArgumentException("relative tolerance must be in (0, 1), got " + relativeTolerance);
        }
        if (w.length == 0) {
            throw new IllegalArgumentException("cannot quantize an empty tensor");
        }
        double maxAbs = maxAbs(w);
        if (distinctAtMost(w, levels(bits))) {
            return new Result(w.clone(), bits, (float) maxAbs, maxAbs, 0, 0, true);
        }
        float r = searchClip(w, bits, relativeTolerance);
        return new Result(apply(w, bits, r), bits, r, maxAbs, sumSquaredError(w, bits, r) / w.length,
                sumSquaredError(w, bits, (float) maxAbs) / w.length, false);
    }

    /**
     * The threshold r minimising the squared error, found by golden-section search on [0, max|w|] down to
     * {@code relativeTolerance * max|w|}, rounded to float32 (the precision it is stored in). The error curve is
     * only nearly unimodal, so the result is never worse than no clipping (r = max|w|).
     */
    public static float searchClip(float[] w, int bits, double relativeTolerance) {
        double maxAbs = maxAbs(w);
        if (maxAbs == 0) {
            return 0f;
        }
        GoldenSection.Minimum m = GoldenSection.minimize(r -> sumSquaredError(w, bits, r), 0, maxAbs,
                relativeTolerance * maxAbs);
        float r = (float) m.x();
        float noClip = (float) maxAbs;
        return sumSquaredError(w, bits, noClip) <= sumSquaredError(w, bits, r) ? noClip : r;
    }

    /**
     * Bits to store a tensor of {@code n} values quantized as {@code result}: one b-bit index per value plus r
     * (float32); a tensor kept as is needs its distinct values as a float32 codebook instead of r, and never
     * more than the 32n bits of storing it raw.
     */
    public static long storedBits(Result result) {
        long n = result.values().length;
        if (result.keptAsIs()) {
            return Math.min(32L * n, result.bits() * n + 32L * countDistinct(result.values()));
        }
        return result.bits() * n + Float.SIZE;
    }

    /** Number of distinct float values (-0 and 0 count as two, so that decoding is bit-exact). */
    public static long countDistinct(float[] w) {
        if (w.length == 0) {
            return 0;
        }
        float[] s = w.clone();
        Arrays.sort(s);
        long distinct = 1;
        for (int i = 1; i < s.length; i++) {
            if (Float.compare(s[i], s[i - 1]) != 0) {
                distinct++;
            }
        }
        return distinct;
    }

    /** Number of levels, 2^bits, as a double (2^32 does not fit an int). */
    static double levels(int bits) {
        return Math.scalb(1.0, bits);
    }

    /** {@code Q(clip(w, -r, r))}: rounds each clipped value to the nearest of 2^bits levels over [-r, r]. */
    public static float[] apply(float[] w, int bits, float r) {
        float[] out = new float[w.length];
        if (r <= 0) {
            return out;
        }
        double delta = step(bits, r);
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) (-(double) r + code(w[i], r, delta) * delta);
        }
        return out;
    }

    /**
     * The level index {@code k} in {@code [0, 2^bits)} of each value: {@code rint((clip(w) + r) / delta)} with
     * {@code delta = 2r / (2^bits - 1)}; valid for bits up to 31 (larger widths never get here: a tensor of
     * fewer than 2^31 values is kept as is).
     */
    public static int[] codes(float[] w, int bits, float r) {
        if (bits > 31) {
            throw new IllegalArgumentException("codes need bits <= 31, got " + bits);
        }
        int[] out = new int[w.length];
        if (r <= 0) {
            return out;
        }
        double delta = step(bits, r);
        for (int i = 0; i < w.length; i++) {
            out[i] = (int) code(w[i], r, delta);
        }
        return out;
    }

    /** The value of level {@code k}: {@code (float) (-r + k * delta)}, exactly as {@link #apply} computes it. */
    public static float levelValue(long k, int bits, float r) {
        return r <= 0 ? 0f : (float) (-(double) r + k * step(bits, r));
    }

    /** {@code ||w - Q(clip(w, -r, r))||^2} in double precision. */
    public static double sumSquaredError(float[] w, int bits, double r) {
        double sum = 0;
        if (r <= 0) {
            for (float v : w) {
                sum += (double) v * v;
            }
            return sum;
        }
        double delta = step(bits, r);
        for (float v : w) {
            double e = v - (-r + code(v, r, delta) * delta);
            sum += e * e;
        }
        return sum;
    }

    private static double step(int bits, double r) {
        return 2 * r / (levels(bits) - 1);
    }

    private static double code(double v, double r, double delta) {
        double c = v < -r ? -r : (v > r ? r : v);
        return Math.rint((c + r) / delta);
    }

    public static double maxAbs(float[] w) {
        double m = 0;
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException("value " + i + " is not finite: " + w[i]);
            }
            m = Math.max(m, Math.abs(w[i]));
        }
        return m;
    }

    /** True when {@code w} holds at most {@code limit} distinct float values (-0 and 0 count as two). */
    public static boolean distinctAtMost(float[] w, double limit) {
        if (w.length <= limit) {
            return true;
        }
        float[] s = w.clone();
        Arrays.sort(s);
        long distinct = 1;
        for (int i = 1; i < s.length; i++) {
            if (Float.compare(s[i], s[i - 1]) != 0) {
                if (++distinct > limit) {
                    return false;
                }
            }
        }
        return true;
    }
}
