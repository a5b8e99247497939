package org.mtcompress.compress;

import org.mtcompress.util.MtcException;

import java.util.Arrays;
import java.util.Random;

/**
 * One-dimensional k-means on float weights.
 *
 * <ul>
 *   <li>Exact: optimal clusters are contiguous ranges of the sorted values, so the minimum SSE comes from a
 *   dynamic program over "atoms" (distinct values with their counts) with cost(i..j) = Σx² − (Σx)²/n from prefix
 *   sums; each of the k layers is solved by divide and conquer over the monotone split points (O(k·m·log m)
 *   for m atoms).</li>
 *   <li>Histogram: with too many distinct values, the atoms are the non-empty bins of an equal-width histogram
 *   (each atom keeps its members' exact count, sum and sum of squares, so the DP is exact among clusterings whose
 *   boundaries fall between bins); Lloyd on the full data then refines it.</li>
 *   <li>Lloyd on sorted values: each cluster is the range between two midpoints, found by binary search; its new
 *   centroid is a prefix-sum difference, so one iteration costs O(k·log n).</li>
 * </ul>
 * Centroids are returned sorted, distinct and as fp32; a value belongs to its nearest centroid (ties to the
 * lower one), which {@link #assign} computes by binary search over midpoints and {@link #assignReference} by a
 * plain scan.
 */
public final class KMeans1D {
    private KMeans1D() {
    }

    /** Centroids for {@code values} (at most {@code k}) with the given settings. */
    public static float[] fit(float[] values, int k, KMeansSettings s, long seed) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to cluster");
        }
        float[] sorted = FloatSort.sortedCopy(values);
        return fitSorted(sorted, k, s, seed);
    }

    /** As {@link #fit} on values already sorted ascending. */
    public static float[] fitSorted(float[] sorted, int k, KMeansSettings s, long seed) {
        int distinct = countDistinct(sorted);
        if (distinct <= k) {
            return distinctValues(sorted, distinct);
        }
        return switch (s.algorithm()) {
            case EXACT -> {
                if ((long) distinct * k > (1L << 28)) {
                    throw new MtcException("exact k-means of " + distinct + " distinct values with k=" + k
                            + " needs too much memory; use kmeans.algorithm: auto");
                }
                yield exactOnAtoms(uniqueAtoms(sorted, distinct), k);
            }
            case LLOYD -> lloyd(sorted, init(s.init(), sorted, k, seed), s.maxIterations());
            case AUTO -> distinct <= s.exactMaxDistinct()
                    ? exactOnAtoms(uniqueAtoms(sorted, distinct), k)
                    : lloyd(sorted, exactOnAtoms(histogramAtoms(sorted, s.exactMaxDistinct()), k), s.maxIterations());
        };
    }

    /** Optimal centroids (minimum SSE), by dynamic programming over the distinct values. */
    public static float[] exact(float[] values, int k) {
        float[] sorted = FloatSort.sortedCopy(values);
        int distinct = countDistinct(sorted);
        return distinct <= k ? distinctValues(sorted, distinct) : exactOnAtoms(uniqueAtoms(sorted, distinct), k);
    }

    // ---- atoms: weighted points with exact count, sum and sum of squares (centred on the data's mean) ----

    /** Sorted weighted points; sums are centred on {@code shift} to limit cancellation. */
    record Atoms(double[] w, double[] s, double[] q, double shift) {
        int size() {
            return w.length;
        }
    }

    static Atoms uniqueAtoms(float[] sorted, int distinct) {
        double shift = mean(sorted);
        double[] w = new double[distinct];
        double[] s = new double[distinct];
        double[] q = new double[distinct];
        int j = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                j++;
            }
            double x = sorted[i] - shift;
            w[j] += 1;
            s[j] += x;
            q[j] += x * x;
        }
        return new Atoms(w, s, q, shift);
    }

    static Atoms histogramAtoms(float[] sorted, int bins) {
        double shift = mean(sorted);
        double lo = sorted[0];
        double hi = sorted[sorted.length - 1];
        double width = (hi - lo) / bins;
        double[] w = new double[bins];
        double[] s = new double[bins];
        double[] q = new double[bins];
        for (float v : sorted) {
            int b = (int) ((v - lo) / width);
            b = Math.min(bins - 1, Math.max(0, b));
            double x = v - shift;
            w[b] += 1;
            s[b] += x;
            q[b] += x * x;
        }
        int m = 0;
        for (int b = 0; b < bins; b++) {
            if (w[b] > 0) {
                w[m] = w[b];
                s[m] = s[b];
                q[m] = q[b];
                m++;
            }
        }
        return new Atoms(Arrays.copyOf(w, m), Arrays.copyOf(s, m), Arrays.copyOf(q, m), shift);
    }

    /** Optimal partition of the atoms into min(k, atoms) contiguous clusters; returns the clusters' means. */
    static float[] exactOnAtoms(Atoms a, int k) {
        int m = a.size();
        int kk = Math.min(k, m);
        double[] pw = new double[m + 1];
        double[] ps = new double[m + 1];
        double[] pq = new double[m + 1];
        for (int i = 0; i < m; i++) {
            pw[i + 1] = pw[i] + a.w()[i];
            ps[i + 1] = ps[i] + a.s()[i];
            pq[i + 1] = pq[i] + a.q()[i];
        }
        Dp dp = new Dp(pw, ps, pq);
        double[] prev = new double[m];
        for (int j = 0; j < m; j++) {
            prev[j] = dp.cost(0, j);
        }
        int[][] start = new int[kk][];
        for (int c = 1; c < kk; c++) {
            double[] cur = new double[m];
            Arrays.fill(cur, Double.POSITIVE_INFINITY);
            int[] arg = new int[m];
            dp.layer(prev, cur, arg, c, m - 1, c, m - 1);
            start[c] = arg;
            prev = cur;
        }
        float[] centroids = new float[kk];
        int end = m - 1;
        for (int c = kk - 1; c >= 0; c--) {
            int st = c == 0 ? 0 : start[c][end];
            double n = pw[end + 1] - pw[st];
            centroids[c] = (float) ((ps[end + 1] - ps[st]) / n + a.shift());
            end = st - 1;
        }
        return sortedDistinct(centroids);
    }

    /** Divide-and-conquer DP layer: cur[j] = min over i of prev[i-1] + cost(i, j), split points monotone in j. */
    private record Dp(double[] pw, double[] ps, double[] pq) {
        double cost(int i, int j) {
            double n = pw[j + 1] - pw[i];
            double s = ps[j + 1] - ps[i];
            double c = (pq[j + 1] - pq[i]) - s * s / n;
            return c > 0 ? c : 0;
        }

        void layer(double[] prev, double[] cur, int[] arg, int jlo, int jhi, int ilo, int ihi) {
            if (jlo > jhi) {
                return;
            }
            int j = (jlo + jhi) >>> 1;
            double best = Double.POSITIVE_INFINITY;
            int bestI = ilo;
            int top = Math.min(ihi, j);
            for (int i = ilo; i <= top; i++) {
                double v = prev[i - 1] + cost(i, j);
                if (v < best) {
                    best = v;
                    bestI = i;
                }
            }
            cur[j] = best;
            arg[j] = bestI;
            layer(prev, cur, arg, jlo, j - 1, ilo, bestI);
            layer(prev, cur, arg, j + 1, jhi, bestI, ihi);
        }
    }

    // ---- Lloyd on sorted values ----

    /**
     * Lloyd iterations on {@code sorted} from {@code init}: clusters are the ranges between midpoints, each new
     * centroid is its range's mean (an empty cluster keeps its centroid); stops when no boundary moves.
     */
    public static float[] lloyd(float[] sorted, float[] init, int maxIterations) {
        int n = sorted.length;
        double shift = mean(sorted);
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + (sorted[i] - shift);
        }
        float[] c = sortedDistinct(init);
        int k = c.length;
        int[] bound = new int[k + 1];
        int[] prevBound = new int[k + 1];
        Arrays.fill(prevBound, -1);
        for (int it = 0; it < maxIterations; it++) {
            bound[0] = 0;
            bound[k] = n;
            for (int j = 1; j < k; j++) {
                bound[j] = upperBound(sorted, ((double) c[j - 1] + c[j]) / 2);
            }
            if (Arrays.equals(bound, prevBound)) {
                break;
            }
            System.arraycopy(bound, 0, prevBound, 0, k + 1);
            for (int j = 0; j < k; j++) {
                int a = bound[j];
                int b = bound[j + 1];
                if (b > a) {
                    c[j] = (float) ((prefix[b] - prefix[a]) / (b - a) + shift);
                }
            }
            c = sortedDistinct(c);
            if (c.length != k) {
                k = c.length;
                bound = new int[k + 1];
                prevBound = new int[k + 1];
                Arrays.fill(prevBound, -1);
            }
        }
        return c;
    }

    /** Initial centroids for Lloyd. */
    public static float[] init(KMeansInit init, float[] sorted, int k, long seed) {
        int n = sorted.length;
        float[] c = new float[k];
        switch (init) {
            case LINEAR -> {
                double lo = sorted[0];
                double hi = sorted[n - 1];
                for (int j = 0; j < k; j++) {
                    c[j] = (float) (k == 1 ? (lo + hi) / 2 : lo + (hi - lo) * j / (k - 1));
                }
            }
            case DENSITY -> {
                for (int j = 0; j < k; j++) {
                    c[j] = sorted[(int) Math.min(n - 1, (long) ((j + 0.5) / k * n))];
                }
            }
            case KMEANS_PP -> {
                // D^2 sampling on an evenly strided sample of at most 2^20 values (deterministic given the seed)
                int stride = Math.max(1, n >> 20);
                int m = (n + stride - 1) / stride;
                Random rnd = new Random(seed);
                double[] d2 = new double[m];
                c[0] = sorted[rnd.nextInt(m) * stride];
                Arrays.fill(d2, Double.POSITIVE_INFINITY);
                for (int j = 1; j < k; j++) {
                    double total = 0;
                    for (int i = 0; i < m; i++) {
                        double d = sorted[i * stride] - c[j - 1];
                        d2[i] = Math.min(d2[i], d * d);
                        total += d2[i];
                    }
                    double r = rnd.nextDouble() * total;
                    int pick = m - 1;
                    for (int i = 0; i < m; i++) {
                        r -= d2[i];
                        if (r <= 0 && d2[i] > 0) {
                            pick = i;
                            break;
                        }
                    }
                    c[j] = sorted[pick * stride];
                }
            }
            default -> throw new IllegalArgumentException(String.valueOf(init));
        }
        return sortedDistinct(c);
    }

    // ---- assignment and error ----

    /**
     * Index of the nearest centroid for each value ({@code centroids} sorted ascending; ties to the lower),
     * by binary search over the midpoints. The midpoints and distances are exact in double.
     */
    public static int[] assign(float[] values, float[] centroids) {
        int k = centroids.length;
        double[] mid = new double[Math.max(0, k - 1)];
        for (int j = 0; j + 1 < k; j++) {
            mid[j] = ((double) centroids[j] + centroids[j + 1]) / 2;
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            int lo = 0;
            int hi = k - 1;
            while (lo < hi) {
                int m = (lo + hi) >>> 1;
                if (v <= mid[m]) {
                    hi = m;
                } else {
                    lo = m + 1;
                }
            }
            out[i] = lo;
        }
        return out;
    }

    /** Plain reference for {@link #assign}: scan all centroids, keep the first nearest. */
    public static int[] assignReference(float[] values, float[] centroids) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < centroids.length; j++) {
                double d = Math.abs((double) values[i] - centroids[j]);
                if (d < best) {
                    best = d;
                    out[i] = j;
                }
            }
        }
        return out;
    }

    /** Sum of squared distances to the nearest centroid. */
    public static double sse(float[] values, float[] centroids) {
        int[] a = assign(values, centroids);
        double sse = 0;
        for (int i = 0; i < values.length; i++) {
            double d = (double) values[i] - centroids[a[i]];
            sse += d * d;
        }
        return sse;
    }

    // ---- helpers ----

    static int upperBound(float[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (sorted[m] <= x) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }

    static int countDistinct(float[] sorted) {
        int d = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }

    static float[] distinctValues(float[] sorted, int distinct) {
        float[] out = new float[distinct];
        int j = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                out[j++] = sorted[i];
            }
        }
        return out;
    }

    static float[] sortedDistinct(float[] c) {
        float[] s = c.clone();
        Arrays.sort(s);
        return distinctValues(s, countDistinct(s));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}
