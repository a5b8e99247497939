package org.mtcompress.compress.embedding;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClippedUniformQuantizerTest {

    private static float[] gaussian(int n, double sigma, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * sigma);
        }
        return w;
    }

    private static float[] laplace(int n, double b, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble() - 0.5;
            w[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return w;
    }

    private static float[] uniform(int n, double a, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
        return w;
    }

    /** The best r on a grid of {@code points} + 1 thresholds over [0, max|w|]. */
    private static double[] gridMinimum(float[] w, int bits, int points) {
        double max = ClippedUniformQuantizer.maxAbs(w);
        double bestR = 0;
        double best = Double.MAX_VALUE;
        for (int i = 0; i <= points; i++) {
            double r = max * i / points;
            double e = ClippedUniformQuantizer.sumSquaredError(w, bits, r);
            if (e < best) {
                best = e;
                bestR = r;
            }
        }
        return new double[]{bestR, best / w.length};
    }

    @Test
    void goldenSectionFindsTheMinimumOfAParabola() {
        GoldenSection.Minimum m = GoldenSection.minimize(x -> (x - 0.3) * (x - 0.3) + 2, -1, 4, 1e-6);
        assertEquals(0.3, m.x(), 1e-6);
        assertEquals(2, m.value(), 1e-12);
        assertTrue(m.evaluations() < 40, "evaluations " + m.evaluations());
    }

    @Test
    void oneBitThresholdIsTheMeanAbsoluteValue() {
        // With levels {-r, r}: ||w - r sign(w)||^2 = sum w^2 - 2 r sum|w| + n r^2, minimised at r = mean|w|.
        float[] w = gaussian(20_000, 0.02, 1);
        double meanAbs = 0;
        for (float v : w) {
            meanAbs += Math.abs(v);
        }
        meanAbs /= w.length;
        ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, 1, 1e-5);
        double max = ClippedUniformQuantizer.maxAbs(w);
        assertEquals(meanAbs, r.clip(), 2e-5 * max);
        assertEquals(0.02 * Math.sqrt(2 / Math.PI), r.clip(), 0.02 * 0.02); // sigma sqrt(2/pi), sampling noise
        assertTrue(r.mse() < r.mseNoClip());
    }

    @Test
    void twoBitGaussianThresholdMatchesTheKnownOptimum() {
        // Optimal 4-level uniform quantizer for N(0,1): step 0.9957, outer levels at +-1.494 sigma.
        double sigma = 0.01; // embedding-sized values: the tolerance is relative to max|w|
        float[] w = gaussian(50_000, sigma, 2);
        ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, 2);
        assertEquals(1.494 * sigma, r.clip(), 0.04 * sigma);
        assertTrue(r.mse() < 0.5 * r.mseNoClip(), r.mse() + " vs " + r.mseNoClip());
    }

    @Test
    void goldenSectionMatchesAFineGridSearchOnKnownDistributions() {
        Object[][] cases = {
                {"gaussian", gaussian(20_000, 0.05, 3)},
                {"laplace", laplace(20_000, 0.03, 4)},
                {"uniform", uniform(20_000, 0.1, 5)},
        };
        for (Object[] c : cases) {
            float[] w = (float[]) c[1];
            for (int bits : new int[]{1, 2, 4}) {
                ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, bits);
                double[] grid = gridMinimum(w, bits, 1500);
                String what = c[0] + " " + bits + " bits: golden r=" + r.clip() + " mse=" + r.mse()
                        + ", grid r=" + grid[0] + " mse=" + grid[1];
                assertTrue(r.mse() <= grid[1] * 1.002, what);
                assertTrue(r.mse() <= r.mseNoClip(), what);
                assertEquals(r.mse(), ClippedUniformQuantizer.sumSquaredError(w, bits, r.clip()) / w.length,
                        1e-12 * r.mse() + 1e-20, what);
            }
        }
    }

    @Test
    void uniformDataIsBarelyClipped() {
        float[] w = uniform(20_000, 1.0, 6);
        ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, 2);
        assertTrue(r.clip() > 0.7 * r.maxAbs() && r.clip() <= r.maxAbs(), "r=" + r.clip());
    }

    @Test
    void outputUsesAtMostTwoToTheBLevelsInsideTheClip() {
        float[] w = laplace(5_000, 0.1, 7);
        for (int bits : new int[]{1, 2, 4, 8}) {
            ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, bits);
            assertFalse(r.keptAsIs());
            assertTrue(ClippedUniformQuantizer.countDistinct(r.values()) <= (1 << bits));
            for (float v : r.values()) {
                assertTrue(Math.abs(v) <= r.clip() * (1 + 1e-6), bits + " bits: " + v + " outside r=" + r.clip());
            }
            assertEquals(bits * (long) w.length + 32, ClippedUniformQuantizer.storedBits(r));
        }
    }

    @Test
    void errorShrinksWithMoreBits() {
        float[] w = gaussian(10_000, 0.1, 8);
        double prev = Double.MAX_VALUE;
        for (int bits : ClippedUniformQuantizer.ALLOWED_BITS) {
            ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, bits);
            assertTrue(r.mse() <= prev, bits + " bits: " + r.mse() + " > " + prev);
            prev = r.mse();
        }
        assertEquals(0, prev); // 32 bits: 10,000 values are kept as is
    }

    @Test
    void tensorWithFewDistinctValuesIsKeptAsIs() {
        float[] w = new float[1000];
        for (int i = 0; i < w.length; i++) {
            w[i] = new float[]{-0.5f, 0.1f, 0.7f}[i % 3];
        }
        ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, 2);
        assertTrue(r.keptAsIs());
        assertArrayEquals(w, r.values());
        assertEquals(0, r.mse());
        assertEquals(2 * 1000 + 3 * 32, ClippedUniformQuantizer.storedBits(r));
        assertFalse(ClippedUniformQuantizer.quantize(w, 1).keptAsIs());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ClippedUniformQuantizer.quantize(new float[]{1, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> ClippedUniformQuantizer.quantize(new float[0], 2));
        float[] nan = new float[100];
        Arrays.fill(nan, 0.5f);
        nan[3] = Float.NaN;
        nan[4] = 0.25f;
        nan[5] = 0.125f;
        nan[6] = 1f;
        nan[7] = 2f;
        assertThrows(IllegalArgumentException.class, () -> ClippedUniformQuantizer.quantize(nan, 1));
    }
}
