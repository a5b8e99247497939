package org.mtcompress.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Paired significance tests between a baseline and other systems, reproducing sacreBLEU's {@code --paired-bs}
 * (paired bootstrap resampling, 1,000 resamples, after Koehn 2004 / Moses) and {@code --paired-ar} (approximate
 * randomization, 10,000 trials, after multeval), including its random draws: NumPy's PCG64 with the same seed
 * ({@link #DEFAULT_SEED}, sacreBLEU's default) yields the same resamples, so p-values, bootstrap means and 95 %
 * confidence intervals match sacreBLEU's (bootstrap statistics are float32 there, and so here).
 *
 * <p>p-value: {@code (c + 1) / (n + 1)} where c counts resamples whose centred absolute difference (bootstrap)
 * or shuffled absolute difference (AR) exceeds the observed absolute difference. The CI is half the distance
 * between the 2.5th and 97.5th percentile resampled scores (sacreBLEU's "± ci" around the bootstrap mean).
 */
public final class Significance {
    /** sacreBLEU's default seed ({@code SACREBLEU_SEED}). */
    public static final long DEFAULT_SEED = 12345;
    /** sacreBLEU's default number of bootstrap resamples. */
    public static final int DEFAULT_BOOTSTRAP = 1000;
    /** sacreBLEU's default number of approximate-randomization trials. */
    public static final int DEFAULT_TRIALS = 10000;

    private Significance() {
    }

    /**
     * One system's line in a paired test: its actual score, and (null where the test gives none) the p-value
     * against the baseline, the bootstrap mean and the 95 % CI half-width.
     */
    public record SystemResult(String system, double score, Double pValue, Double mean, Double ci) {
    }

    /** A paired test of one metric: the signature, the baseline's line, then one line per other system. */
    public record PairedResult(String metric, String signature, String test, int samples, long seed,
                               SystemResult baseline, List<SystemResult> systems) {
    }

    /** Paired bootstrap of BLEU (sacreBLEU defaults, 1,000 resamples) for one system against a baseline. */
    public static SystemResult pairedBootstrap(List<List<String>> refs, List<String> baselineHyps,
                                               List<String> systemHyps, long seed) {
        return pairedBootstrap(new Bleu(), refs, List.of("baseline", "system"),
                List.of(baselineHyps, systemHyps), DEFAULT_BOOTSTRAP, seed).systems().get(0);
    }

    /** Approximate randomization of BLEU (10,000 trials) for one system against a baseline. */
    public static SystemResult approximateRandomization(List<List<String>> refs, List<String> baselineHyps,
                                                        List<String> systemHyps, long seed) {
        return approximateRandomization(new Bleu(), refs, List.of("baseline", "system"),
                List.of(baselineHyps, systemHyps), DEFAULT_TRIALS, seed).systems().get(0);
    }

    /**
     * sacreBLEU's paired bootstrap: {@code systems.get(0)} is the baseline; every system is compared with it on
     * the same {@code resamples} index draws.
     */
    public static PairedResult pairedBootstrap(Metric metric, List<List<String>> refs, List<String> names,
                                               List<List<String>> systems, int resamples, long seed) {
        check(names, systems, resamples);
        int n = systems.get(0).size();
        Scored bl = Scored.of(metric, systems.get(0), refs);
        boolean f32 = metric.float32ResampledScores();
        int[] idx = new int[resamples * n];
        new NumpyRandom(seed).choice(n, idx, idx.length);
        double[] blScores = resampledScores(metric, bl.stats(), idx, resamples, n);
        double[] blCi = estimateCi(blScores, f32);
        SystemResult baseline = new SystemResult(names.get(0), bl.score(), null, blCi[0], blCi[1]);
        List<SystemResult> out = eachSystem(metric, refs, names, systems, (name, sys) -> {
            double[] sysScores = resampledScores(metric, sys.stats(), idx, resamples, n);
            double[] ci = estimateCi(sysScores, f32);
            double diff = Math.abs(bl.score() - sys.score());
            double[] d = new double[resamples];
            for (int i = 0; i < resamples; i++) {
                d[i] = f32 ? Math.abs((float) sysScores[i] - (float) blScores[i]) : Math.abs(sysScores[i] - blScores[i]);
            }
            double mean = mean(d, f32);
            int c = 0;
            for (int i = 0; i < resamples; i++) {
                if (f32) {
                    float centred = (float) d[i] - (float) mean;
                    c += centred > (float) diff ? 1 : 0;
                } else {
                    c += (d[i] - mean) > diff ? 1 : 0;
                }
            }
            return new SystemResult(name, sys.score(), pValue(c, resamples), ci[0], ci[1]);
        });
        String sig = metric.signature(refs.size()).withBootstrap(resamples, seed).format();
        return new PairedResult(metric.name(), sig, "bs", resamples, seed, baseline, out);
    }

    /** sacreBLEU's paired approximate randomization: {@code systems.get(0)} is the baseline. */
    public static PairedResult approximateRandomization(Metric metric, List<List<String>> refs, List<String> names,
                                                        List<List<String>> systems, int trials, long seed) {
        check(names, systems, trials);
        int n = systems.get(0).size();
        int w = metric.statsWidth();
        Scored bl = Scored.of(metric, systems.get(0), refs);
        SystemResult baseline = new SystemResult(names.get(0), bl.score(), null, null, null);
        boolean[] pos = new boolean[trials * n];
        List<SystemResult> out = eachSystem(metric, refs, names, systems, (name, sys) -> {
            // every system is tested with a generator seeded afresh, as sacreBLEU does
            new NumpyRandom(seed).booleans(pos, pos.length);
            double diff = Math.abs(bl.score() - sys.score());
            long[] total = new long[w];
            for (int j = 0; j < w; j++) {
                total[j] = bl.sum()[j] + sys.sum()[j];
            }
            long[] a = new long[w];
            long[] b = new long[w];
            int c = 0;
            for (int t = 0; t < trials; t++) {
                // pseudo-system A takes the baseline's segment where the coin says so, the system's elsewhere;
                // B takes the rest, so B = total - A.
                Arrays.fill(a, 0);
                int base = t * n;
                for (int i = 0; i < n; i++) {
                    addRow(a, pos[base + i] ? bl.stats()[i] : sys.stats()[i]);
                }
                for (int j = 0; j < w; j++) {
                    b[j] = total[j] - a[j];
                }
                double delta = Math.abs(metric.value(a) - metric.value(b));
                c += delta > diff ? 1 : 0;
            }
            return new SystemResult(name, sys.score(), pValue(c, trials), null, null);
        });
        String sig = metric.signature(refs.size()).withRandomization(trials, seed).format();
        return new PairedResult(metric.name(), sig, "ar", trials, seed, baseline, out);
    }

    /** One system's segment statistics, their sum and its corpus score. */
    private record Scored(int[][] stats, long[] sum, double score) {
        static Scored of(Metric metric, List<String> hyps, List<List<String>> refs) {
            int[][] stats = metric.segmentStatistics(hyps, refs);
            long[] sum = Metric.sum(stats);
            return new Scored(stats, sum, metric.value(sum));
        }
    }

    /** A paired test's verdict on one system against the baseline. */
    private interface Comparison {
        SystemResult compare(String name, Scored system);
    }

    /** Scores every system after the baseline ({@code systems.get(0)}) and compares it, in order. */
    private static List<SystemResult> eachSystem(Metric metric, List<List<String>> refs, List<String> names,
                                                 List<List<String>> systems, Comparison comparison) {
        List<SystemResult> out = new ArrayList<>();
        for (int s = 1; s < systems.size(); s++) {
            out.add(comparison.compare(names.get(s), Scored.of(metric, systems.get(s), refs)));
        }
        return out;
    }

    /** {@code (c + 1) / (samples + 1)}: c of the samples exceeded the observed difference. */
    private static double pValue(int c, int samples) {
        return (c + 1.0) / (samples + 1.0);
    }

    /** Adds one segment's statistics to a running sum. */
    private static void addRow(long[] sum, int[] row) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] += row[j];
        }
    }

    private static void check(List<String> names, List<List<String>> systems, int samples) {
        if (systems.size() < 2 || names.size() != systems.size()) {
            throw new IllegalArgumentException("a paired test needs a baseline and at least one system, each named");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("need at least one resample/trial, got " + samples);
        }
        for (List<String> s : systems) {
            if (s.size() != systems.get(0).size()) {
                throw new IllegalArgumentException("systems differ in length");
            }
        }
    }

    /** Scores of the resamples: resample r sums the statistics of segments idx[r*n .. r*n+n). */
    private static double[] resampledScores(Metric metric, int[][] stats, int[] idx, int resamples, int n) {
        int w = metric.statsWidth();
        double[] scores = new double[resamples];
        long[] sum = new long[w];
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(sum, 0);
            int base = r * n;
            for (int i = 0; i < n; i++) {
                addRow(sum, stats[idx[base + i]]);
            }
            scores[r] = metric.valueFloat32(sum);
        }
        return scores;
    }

    /** sacreBLEU's {@code estimate_ci}: {mean, half the 2.5 %-97.5 % range} of the sorted scores. */
    static double[] estimateCi(double[] scores, boolean f32) {
        double[] s = scores.clone();
        Arrays.sort(s);
        int n = s.length;
        int lower = n / 40;
        int upper = n - lower - 1;
        double ci = f32 ? 0.5f * ((float) s[upper] - (float) s[lower]) : 0.5 * (s[upper] - s[lower]);
        return new double[] {mean(s, f32), ci};
    }

    /** NumPy's {@code mean}: pairwise summation (blocks of 8, 128 per leaf) then division, in the array's type. */
    static double mean(double[] a, boolean f32) {
        if (f32) {
            double[] f = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                f[i] = (float) a[i];
            }
            return (float) (pairwiseSum(f, 0, f.length, true) / (float) a.length);
        }
        return pairwiseSum(a, 0, a.length, false) / a.length;
    }

    /**
     * NumPy's pairwise sum, in float64 or (f32) float32: every addition rounded to float. A float32 sum or quotient
     * of two floats computed in double and then rounded equals the float32 operation (double has more than twice
     * float's precision), so one implementation serves both types.
     */
    static double pairwiseSum(double[] a, int off, int n, boolean f32) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res = add(res, a[off + i], f32);
            }
            return res;
        } else if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, off, r, 0, 8);
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] = add(r[j], a[off + i + j], f32);
                }
            }
            double res = add(add(add(r[0], r[1], f32), add(r[2], r[3], f32), f32),
                    add(add(r[4], r[5], f32), add(r[6], r[7], f32), f32), f32);
            for (; i < n; i++) {
                res = add(res, a[off + i], f32);
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return add(pairwiseSum(a, off, n2, f32), pairwiseSum(a, off + n2, n - n2, f32), f32);
    }

    private static double add(double x, double y, boolean f32) {
        return f32 ? (float) (x + y) : x + y;
    }
}
