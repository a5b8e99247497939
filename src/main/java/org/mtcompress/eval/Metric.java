package org.mtcompress.eval;

import java.util.List;

/**
 * A corpus metric computed from per-segment sufficient statistics, as sacreBLEU structures its metrics: each
 * segment yields a fixed-width vector of counts, a corpus score is a function of their sum. Significance tests
 * resample segments and re-score sums without touching text again.
 */
public interface Metric {
    /** The metric's display name ("BLEU", "chrF2", "chrF2++"). */
    String name();

    /** Width of one segment's statistics vector. */
    int statsWidth();

    /**
     * Per-segment statistics of {@code hyps} against reference streams ({@code refs.get(r).get(i)} is
     * reference {@code r} of segment {@code i}); every stream must have as many lines as {@code hyps}.
     */
    int[][] segmentStatistics(List<String> hyps, List<List<String>> refs);

    /** The full result for summed statistics. */
    Score score(long[] sums, int nrefs);

    /** The score alone for summed statistics, in double precision (sacreBLEU on Python integers). */
    double value(long[] sums);

    /**
     * The score as sacreBLEU's paired bootstrap computes it: its resampled statistics are NumPy float32 arrays,
     * so (with NumPy 2) the ratios inside the metric are rounded to float32 as well.
     */
    double valueFloat32(long[] sums);

    /** True when sacreBLEU's resampled scores of this metric are float32 values (chrF), false for doubles (BLEU). */
    default boolean float32ResampledScores() {
        return false;
    }

    /** The signature for {@code nrefs} references. */
    Signature signature(int nrefs);

    /** Corpus score of {@code hyps}. */
    default Score corpusScore(List<String> hyps, List<List<String>> refs) {
        return score(sum(segmentStatistics(hyps, refs)), refs.size());
    }

    /** Column sums of per-segment statistics. */
    static long[] sum(int[][] stats) {
        if (stats.length == 0) {
            throw new IllegalArgumentException("no segments");
        }
        long[] s = new long[stats[0].length];
        for (int[] row : stats) {
            for (int j = 0; j < s.length; j++) {
                s[j] += row[j];
            }
        }
        return s;
    }

    /** Checks that every reference stream has as many lines as the hypotheses. */
    static void checkLengths(List<String> hyps, List<List<String>> refs) {
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("no reference streams");
        }
        for (int r = 0; r < refs.size(); r++) {
            if (refs.get(r).size() != hyps.size()) {
                throw new IllegalArgumentException("reference stream " + (r + 1) + " has " + refs.get(r).size()
                        + " lines but there are " + hyps.size() + " hypotheses");
            }
        }
    }
}
