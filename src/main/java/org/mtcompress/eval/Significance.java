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
        int[][] blStats = metric.segmentStatistics(systems.get(0), refs);
        double blScore = metric.value(Metric.sum(blStats));
        boolean f32 = metric.float32ResampledScores();
        int[] idx = new int[resamples * n];
        new NumpyRandom(seed).choice(n, idx, idx.length);
        double[] blScores = resampledScores(metric, blStats, idx, resamples, n);
        double[] blCi = estimateCi(blScores, f32);
        SystemResult baseline = new SystemResult(names.get(0), blScore, null, blCi[0], blCi[1]);
        List<SystemResult> out = new ArrayList<>();
        for (int s = 1; s < systems.size(); s++) {
            int[][] sysStats = metric.segmentStatistics(systems.get(s), refs);
            double sysScore = metric.value(Metric.sum(sysStats));
            double[] sysScores = resampledScores(metric, sysStats, idx, resamples, n);
            double[] ci = estimateCi(sysScores, f32);
            double diff = Math.abs(blScore - sysScore);
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
            out.add(new SystemResult(names.get(s), sysScore, (c + 1.0) / (resamples + 1.0), ci[0], ci[1]));
        }
        String sig = metric.signature(refs.size()).withBootstrap(resamples, seed).format();
        return new PairedResult(metric.name(), sig, "bs", resamples, seed, baseline, out);
    }

    /** sacreBLEU's paired approximate randomization: {@code systems.get(0)} is the baseline. */
    public static PairedResult approximateRandomization(Metric metric, List<List<String>> refs, List<String> names,
                                                        List<List<String>> systems, int trials, long seed) {
        check(names, systems, trials);
        int n = systems.get(0).size();
        int w = metric.statsWidth();
        int[][] blStats = metric.segmentStatistics(systems.get(0), refs);
        long[] blSum = Metric.sum(blStats);
        double blScore = metric.value(blSum);
        SystemResult baseline = new SystemResult(names.get(0), blScore, null, null, null);
        boolean[] pos = new boolean[trials * n];
        List<SystemResult> out = new ArrayList<>();
        for (int s = 1; s < systems.size(); s++) {
            // every system is tested with a generator seeded afresh, as sacreBLEU does
            new NumpyRandom(seed).booleans(pos, pos.length);
            int[][] sysStats = metric.segmentStatistics(systems.get(s), refs);
            long[] sysSum = Metric.sum(sysStats);
            double sysScore = metric.value(sysSum);
            double diff = Math.abs(blScore - sysScore);
            long[] total = new long[w];
            for (int j = 0; j < w; j++) {
                total[j] = blSum[j] + sysSum[j];
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
                    int[] row = pos[base + i] ? blStats[i] : sysStats[i];
                    for (int j = 0; j < w; j++) {
                        a[j] += row[j];
                    }
                }
                for (int j = 0; j < w; j++) {
                    b[j] = total[j] - a[j];
                }
                double delta = Math.abs(metric.value(a) - metric.value(b));
                c += delta > diff ? 1 : 0;
            }
            out.add(new SystemResult(names.get(s), sysScore, (c + 1.0) / (trials + 1.0), null, null));
        }
        String sig = metric.signature(refs.size()).withRandomization(trials, seed).format();
        return new PairedResult(metric.name(), sig, "ar", trials, seed, baseline, out);
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
                int[] row = stats[idx[base + i]];
                for (int j = 0; j < w; j++) {
                    sum[j] += row[j];
                }
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
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                f[i] = (float) a[i];
            }
            return pairwiseSum(f, 0, f.length) / (float) a.length;
        }
        return pairwiseSum(a, 0, a.length) / a.length;
    }

    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, off, r, 0, 8);
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }

    static float pairwiseSum(float[] a, int off, int n) {
        if (n < 8) {
            float res = 0f;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= 128) {
            float[] r = new float[8];
            System.arraycopy(a, off, r, 0, 8);
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }
}
