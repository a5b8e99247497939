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

    /** Above this many values, {@code auto} skips sorting (see {@link #fit}). */
    static final int SORT_LIMIT = 1 << 20;

    /**
     * Centroids for {@code values} (at most {@code k}) with the given settings. {@code auto} on more than
     * {@link #SORT_LIMIT} values does not sort: it builds the histogram in one pass (when every bin holds a
     * single distinct value the DP over it is exact), solves the DP over the bins, then runs Lloyd to its fixed
     * point with only the bins around the cluster boundaries expanded ({@link #refine}).
     */
    public static float[] fit(float[] values, int k, KMeansSettings s, long seed) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to cluster");
        }
        if (s.algorithm() == KMeansAlgorithm.AUTO && values.length > SORT_LIMIT) {
            Histogram h = new Histogram(values, s.exactMaxDistinct());
            Atoms atoms = h.atoms();
            if (h.pure) {
                return atoms.size() <= k ? h.distinctValues() : exactOnAtoms(atoms, k);
            }
            return refine(values, h, exactOnAtoms(atoms, k), s.maxIterations());
        }
        float[] sorted = FloatSort.sortedCopy(values);
        return fitSorted(sorted, k, s, seed);
    }

    /**
     * An equal-width histogram of the values with each bin's exact count, sum, sum of squares, min and max;
     * {@code pure} when every bin holds a single distinct value.
     */
    static final class Histogram {
        final int bins;
        final float lo;
        final double scale;
        final double shift;
        final double[] w;
        final double[] s;
        final double[] q;
        final float[] mn;
        final float[] mx;
        final boolean pure;

        Histogram(float[] values, int bins) {
            this.bins = bins;
            float l = Float.POSITIVE_INFINITY;
            float h = Float.NEGATIVE_INFINITY;
            double sum = 0;
            for (float v : values) {
                l = Math.min(l, v);
                h = Math.max(h, v);
                sum += v;
            }
            lo = l;
            shift = sum / values.length;
            scale = h > l ? bins / ((double) h - l) : 0;
            w = new double[bins];
            s = new double[bins];
            q = new double[bins];
            mn = new float[bins];
            mx = new float[bins];
            Arrays.fill(mn, Float.POSITIVE_INFINITY);
            Arrays.fill(mx, Float.NEGATIVE_INFINITY);
            for (float v : values) {
                int b = bin(v);
                double x = v - shift;
                w[b] += 1;
                s[b] += x;
                q[b] += x * x;
                mn[b] = Math.min(mn[b], v);
                mx[b] = Math.max(mx[b], v);
            }
            boolean p = true;
            for (int b = 0; b < bins; b++) {
                p &= w[b] == 0 || mn[b] == mx[b];
            }
            pure = p;
        }

        int bin(double v) {
            return (int) Math.max(0, Math.min(bins - 1, (long) ((v - lo) * scale)));
        }

        /** The non-empty bins as atoms. */
        Atoms atoms() {
            int m = 0;
            for (int b = 0; b < bins; b++) {
                m += w[b] > 0 ? 1 : 0;
            }
            double[] aw = new double[m];
            double[] as = new double[m];
            double[] aq = new double[m];
            int j = 0;
            for (int b = 0; b < bins; b++) {
                if (w[b] > 0) {
                    aw[j] = w[b];
                    as[j] = s[b];
                    aq[j++] = q[b];
                }
            }
            return new Atoms(aw, as, aq, shift);
        }

        /** The distinct values (meaningful when {@code pure}). */
        float[] distinctValues() {
            float[] out = new float[(int) Arrays.stream(w).filter(x -> x > 0).count()];
            int j = 0;
            for (int b = 0; b < bins; b++) {
                if (w[b] > 0) {
                    out[j++] = mn[b];
                }
            }
            return out;
        }
    }

    /**
     * Exact Lloyd refinement of centroids found on the histogram, without sorting all values. The bins that
     * hold a midpoint between centroids (and their neighbours) are expanded into their individual values, the
     * other bins stay single atoms with exact sums; Lloyd then runs on these sorted atoms with prefix sums.
     * When a midpoint moves into a bin still aggregated, that bin is expanded and Lloyd continues, so the result
     * is the Lloyd fixed point on the full data.
     */
    static float[] refine(float[] values, Histogram h, float[] init, int maxIterations) {
        float[] c = sortedDistinct(init);
        boolean[] expand = new boolean[h.bins];
        for (int round = 0; round < 64; round++) {
            for (int j = 0; j + 1 < c.length; j++) {
                int b = h.bin(((double) c[j] + c[j + 1]) / 2);
                for (int d = -1; d <= 1; d++) {
                    if (b + d >= 0 && b + d < h.bins) {
                        expand[b + d] = true;
                    }
                }
            }
            MixedAtoms atoms = MixedAtoms.of(values, h, expand);
            int[] straddled = new int[1];
            c = atoms.lloyd(c, maxIterations, straddled);
            if (straddled[0] < 0) {
                return c;
            }
            expand[straddled[0]] = true;
        }
        return c;
    }

    /** Sorted atoms: single values from expanded bins, whole bins otherwise; each with its value range. */
    private record MixedAtoms(double[] pw, double[] ps, float[] lo, float[] hi, int[] bin, double shift) {
        static MixedAtoms of(float[] values, Histogram h, boolean[] expand) {
            int count = 0;
            for (float v : values) {
                if (expand[h.bin(v)]) {
                    count++;
                }
            }
            float[] picked = new float[count];
            int j = 0;
            for (float v : values) {
                if (expand[h.bin(v)]) {
                    picked[j++] = v;
                }
            }
            Arrays.sort(picked);
            int max = picked.length + h.bins;
            double[] pw = new double[max + 1];
            double[] ps = new double[max + 1];
            float[] lo = new float[max];
            float[] hi = new float[max];
            int[] bin = new int[max];
            int m = 0;
            int p = 0;
            for (int b = 0; b < h.bins; b++) {
                if (h.w[b] == 0) {
                    continue;
                }
                if (expand[b]) {
                    while (p < picked.length && h.bin(picked[p]) == b) {
                        float v = picked[p];
                        int n = 0;
                        while (p < picked.length && picked[p] == v) {
                            n++;
                            p++;
                        }
                        pw[m + 1] = pw[m] + n;
                        ps[m + 1] = ps[m] + n * (v - h.shift);
                        lo[m] = v;
                        hi[m] = v;
                        bin[m++] = b;
                    }
                } else {
                    pw[m + 1] = pw[m] + h.w[b];
                    ps[m + 1] = ps[m] + h.s[b];
                    lo[m] = h.mn[b];
                    hi[m] = h.mx[b];
                    bin[m++] = b;
                }
            }
            return new MixedAtoms(Arrays.copyOf(pw, m + 1), Arrays.copyOf(ps, m + 1), Arrays.copyOf(lo, m),
                    Arrays.copyOf(hi, m), Arrays.copyOf(bin, m), h.shift);
        }

        /**
         * Lloyd from {@code init}; stops when no boundary moves. If a midpoint falls strictly inside an aggregated
         * atom, returns the centroids so far with that atom's bin in {@code straddled[0]} (else -1).
         */
        float[] lloyd(float[] init, int maxIterations, int[] straddled) {
            straddled[0] = -1;
            int m = lo.length;
            float[] c = init;
            int[] prev = null;
            for (int it = 0; it < maxIterations; it++) {
                int k = c.length;
                int[] bound = new int[k + 1];
                bound[k] = m;
                for (int j = 1; j < k; j++) {
                    double mid = ((double) c[j - 1] + c[j]) / 2;
                    int a = 0;
                    int z = m;
                    while (a < z) {
                        int x = (a + z) >>> 1;
                        if (lo[x] <= mid) {
                            a = x + 1;
                        } else {
                            z = x;
                        }
                    }
                    // atoms [0, a) start at or below mid; the last of them straddles mid if it reaches above it
                    if (a > 0 && hi[a - 1] > mid) {
                        straddled[0] = bin[a - 1];
                        return c;
                    }
                    bound[j] = a;
                }
                if (Arrays.equals(bound, prev)) {
                    break;
                }
                prev = bound;
                float[] next = c.clone();
                for (int j = 0; j < k; j++) {
                    double n = pw[bound[j + 1]] - pw[bound[j]];
                    if (n > 0) {
                        next[j] = (float) ((ps[bound[j + 1]] - ps[bound[j]]) / n + shift);
                    }
                }
                c = sortedDistinct(next);
                if (c.length != k) {
                    prev = null;
                }
            }
            return c;
        }
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
     * Index of the nearest centroid for each value ({@code centroids} sorted ascending; ties to the lower).
     * Branch-free binary search over float thresholds: the midpoint of two floats is exact in double, and
     * {@code v > mid} equals {@code v > t} for t = the largest float not above mid, so comparing floats is exact.
     * The k-1 thresholds are padded with +inf to a power of two (at least k), so the index stays below k.
     */
    public static int[] assign(float[] values, float[] centroids) {
        float[] t = thresholds(centroids);
        int[] out = new int[values.length];
        int half = t.length / 2;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            int idx = 0;
            for (int step = half; step > 0; step >>= 1) {
                idx += v > t[idx + step - 1] ? step : 0;
            }
            out[i] = idx;
        }
        return out;
    }

    /** Float midpoint thresholds of sorted centroids, padded with +inf to the smallest power of two >= k. */
    static float[] thresholds(float[] centroids) {
        int k = centroids.length;
        int size = k <= 1 ? 1 : Integer.highestOneBit(k - 1) << 1;
        float[] t = new float[size];
        Arrays.fill(t, Float.POSITIVE_INFINITY);
        for (int j = 0; j + 1 < k; j++) {
            double mid = ((double) centroids[j] + centroids[j + 1]) / 2;
            float f = (float) mid;
            t[j] = f > mid ? Math.nextDown(f) : f;
        }
        return t;
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
