package org.mtcompress.compress;

import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeans1DTest {
    private static final KMeansSettings AUTO = KMeansSettings.defaults();

    @Test
    void twoObviousClusters() {
        float[] c = KMeans1D.exact(new float[] {11, 1, 10, 2}, 2);
        assertArrayEquals(new float[] {1.5f, 10.5f}, c);
        assertArrayEquals(new int[] {1, 0, 1, 0}, KMeans1D.assign(new float[] {11, 1, 10, 2}, c));
    }

    @Test
    void fewerDistinctValuesThanCentroidsKeepsTheValues() {
        float[] v = {0.5f, -1f, 0.5f, -1f, 2f};
        assertArrayEquals(new float[] {-1f, 0.5f, 2f}, KMeans1D.fit(v, 16, AUTO, 1));
        assertEquals(0.0, KMeans1D.sse(v, KMeans1D.fit(v, 16, AUTO, 1)));
    }

    /** Brute force: every assignment of n points to k labels, SSE with each label's mean. */
    private static double bruteForce(float[] v, int k) {
        int n = v.length;
        int[] lab = new int[n];
        double best = Double.POSITIVE_INFINITY;
        long combos = (long) Math.pow(k, n);
        for (long code = 0; code < combos; code++) {
            long c = code;
            for (int i = 0; i < n; i++) {
                lab[i] = (int) (c % k);
                c /= k;
            }
            double[] s = new double[k];
            int[] cnt = new int[k];
            for (int i = 0; i < n; i++) {
                s[lab[i]] += v[i];
                cnt[lab[i]]++;
            }
            double sse = 0;
            for (int i = 0; i < n; i++) {
                double d = v[i] - s[lab[i]] / cnt[lab[i]];
                sse += d * d;
            }
            best = Math.min(best, sse);
        }
        return best;
    }

    @Test
    void exactMatchesBruteForceOnSmallInputs() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 60; trial++) {
            int n = 3 + rnd.nextInt(6);
            int k = 2 + rnd.nextInt(2);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                // a few repeated values on purpose
                v[i] = rnd.nextInt(4) == 0 ? 0.25f : (float) rnd.nextGaussian();
            }
            double brute = bruteForce(v, k);
            double got = KMeans1D.sse(v, KMeans1D.exact(v, k));
            assertEquals(brute, got, 1e-5 * (1 + brute), "trial " + trial + " " + Arrays.toString(v) + " k=" + k);
        }
    }

    private static double commonsMathSse(float[] v, int k, long seed) {
        List<DoublePoint> pts = new ArrayList<>();
        for (float x : v) {
            pts.add(new DoublePoint(new double[] {x}));
        }
        JDKRandomGenerator g = new JDKRandomGenerator();
        g.setSeed(seed);
        List<CentroidCluster<DoublePoint>> clusters = new KMeansPlusPlusClusterer<DoublePoint>(k, 100,
                new org.apache.commons.math3.ml.distance.EuclideanDistance(), g).cluster(pts);
        double sse = 0;
        for (CentroidCluster<DoublePoint> c : clusters) {
            double m = c.getCenter().getPoint()[0];
            for (DoublePoint p : c.getPoints()) {
                sse += (p.getPoint()[0] - m) * (p.getPoint()[0] - m);
            }
        }
        return sse;
    }

    private static float[] mixture(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextBoolean() ? rnd.nextGaussian() * 0.05 : rnd.nextGaussian() * 0.02 + 0.1);
        }
        return v;
    }

    /** Centroids are stored as fp32, which may cost a relative 1e-7 of SSE against double centroids. */
    @Test
    void neverWorseThanCommonsMathKMeansPlusPlus() {
        Random rnd = new Random(11);
        for (int k : new int[] {2, 4, 16}) {
            for (long seed = 0; seed < 3; seed++) {
                float[] v = mixture(rnd, 20000);
                double cm = commonsMathSse(v, k, seed);
                double exact = KMeans1D.sse(v, KMeans1D.fit(v, k, AUTO, 1));
                assertTrue(exact <= cm * (1 + 1e-6), "k=" + k + " exact " + exact + " > commons-math " + cm);
                // the large-input path: exact DP over a 4096-bin histogram, then Lloyd on all values
                KMeansSettings hist = new KMeansSettings(CodebookSharing.TENSOR, KMeansInit.LINEAR, KMeansAlgorithm.AUTO, 4096, 100);
                double approx = KMeans1D.sse(v, KMeans1D.fit(v, k, hist, 1));
                assertTrue(approx <= cm * (1 + 1e-6), "k=" + k + " histogram " + approx + " > commons-math " + cm);
                assertTrue(exact <= approx * (1 + 1e-6) && approx <= exact * 1.001, "k=" + k + " exact " + exact + " histogram " + approx);
            }
        }
    }

    /** The no-sort refinement reaches the same Lloyd fixed point as Lloyd on the sorted values, from the same start. */
    @Test
    void boundaryRefinementEqualsSortedLloyd() {
        Random rnd = new Random(21);
        float[] v = mixture(rnd, 30000);
        float[] sorted = FloatSort.sortedCopy(v);
        for (int bins : new int[] {8, 64, 1024}) {
            for (int k : new int[] {2, 5, 16}) {
                KMeans1D.Histogram h = new KMeans1D.Histogram(v, bins);
                float[] start = KMeans1D.exactOnAtoms(h.atoms(), k);
                float[] refined = KMeans1D.refine(v, h, start, 1000);
                float[] lloyd = KMeans1D.lloyd(sorted, start, 1000);
                assertEquals(lloyd.length, refined.length);
                assertArrayEquals(lloyd, refined, 1e-6f, "bins=" + bins + " k=" + k);
                assertEquals(KMeans1D.sse(v, lloyd), KMeans1D.sse(v, refined), 1e-9 * KMeans1D.sse(v, lloyd));
            }
        }
    }

    @Test
    void largeInputsTakeTheUnsortedPathAndStayOptimalOnFewDistinctValues() {
        // more than SORT_LIMIT values but only 40 distinct: every histogram bin is pure, the DP is exact
        int n = KMeans1D.SORT_LIMIT + 3;
        float[] v = new float[n];
        Random rnd = new Random(4);
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(40) * 0.01f - 0.2f;
        }
        float[] got = KMeans1D.fit(v, 4, AUTO, 1);
        // reference: exact DP on the sorted values (cheap: 40 distinct)
        KMeansSettings exact = new KMeansSettings(CodebookSharing.TENSOR, KMeansInit.LINEAR, KMeansAlgorithm.EXACT, 65536, 100);
        float[] ref = KMeans1D.fitSorted(FloatSort.sortedCopy(v), 4, exact, 1);
        assertArrayEquals(ref, got, 1e-6f);
        assertEquals(40, KMeans1D.fit(v, 64, AUTO, 1).length);
        // 1.0M Gaussian values: the refined result is a Lloyd fixed point no worse than its DP start
        float[] g = mixture(rnd, n);
        KMeans1D.Histogram h = new KMeans1D.Histogram(g, 65536);
        float[] start = KMeans1D.exactOnAtoms(h.atoms(), 16);
        float[] fitted = KMeans1D.fit(g, 16, AUTO, 1);
        assertTrue(KMeans1D.sse(g, fitted) <= KMeans1D.sse(g, start));
        assertArrayEquals(fitted, KMeans1D.lloyd(FloatSort.sortedCopy(g), fitted, 1000), 1e-6f);
    }

    @Test
    void lloydNeverIncreasesTheErrorOfItsStart() {
        Random rnd = new Random(3);
        float[] v = mixture(rnd, 20000);
        float[] sorted = FloatSort.sortedCopy(v);
        for (KMeansInit init : KMeansInit.values()) {
            float[] start = KMeans1D.init(init, sorted, 8, 9);
            float[] end = KMeans1D.lloyd(sorted, start, 100);
            assertTrue(end.length <= 8);
            assertTrue(KMeans1D.sse(v, end) <= KMeans1D.sse(v, start) + 1e-9, init.toString());
            assertTrue(KMeans1D.sse(v, end) >= KMeans1D.sse(v, KMeans1D.exact(v, 8)) - 1e-9, init.toString());
        }
    }

    @Test
    void fastAssignmentEqualsTheReferenceScanIncludingTies() {
        Random rnd = new Random(5);
        float[] c = {-1f, -0.25f, 0f, 0.5f, 3f};
        float[] v = new float[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 7 == 0 ? -0.625f /* midpoint */ : (float) (rnd.nextGaussian() * 2);
        }
        v[1] = 0.25f; // midpoint of 0 and 0.5: ties go to the lower centroid
        assertArrayEquals(KMeans1D.assignReference(v, c), KMeans1D.assign(v, c));
        assertEquals(2, KMeans1D.assign(new float[] {0.25f}, c)[0]);
    }

    @Test
    void radixSortEqualsArraysSort() {
        Random rnd = new Random(9);
        float[] v = new float[100_003];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (i % 5) {
                case 0 -> (float) rnd.nextGaussian();
                case 1 -> -0.0f;
                case 2 -> Float.MIN_VALUE * (rnd.nextInt(5) - 2);
                case 3 -> rnd.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
                default -> (float) (rnd.nextGaussian() * 1e-30);
            };
        }
        float[] expected = v.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, FloatSort.sortedCopy(v));
    }
}
