package org.mtcompress.experiment;

import org.mtcompress.config.AddedLater;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** How an experiment evaluates every row: which split, decoding, and the significance test. */
@Doc("evaluation of every row")
public record EvalSettings(
        @Doc("test split (default: the data set's first test split)") @Default("~") String testSplit,
        @Doc("beam size for test decoding; 1 = greedy") @Default("4") @Range(min = 1, max = 64) int beam,
        @Doc("length penalty alpha (GNMT)") @Default("0.6") @Range(min = 0, max = 5) double lengthPenalty,
        @Doc("evaluate on the first N test sentences only (0 = all); for tests, never for reported tables")
        @Default("0") @Range(min = 0) int maxSentences,
        @Doc("paired bootstrap resamples for p-values and confidence intervals") @Default("1000") @Range(min = 10)
        int bootstrap,
        @Doc("seed of the bootstrap resampling (numpy's RandomState, so below 2^32); absent: derived from the root "
                + "seed as stream 'bootstrap' (give 12345 to match sacreBLEU's resamples)")
        @Default("~") @Range(min = 0, max = 4294967295.0) Long bootstrapSeed,
        @Doc("also decode the data set's other test splits (same beam) and show their BLEU in the table")
        @AddedLater("2026-12-03") @Default("false") boolean allTestSplits) {

    /**
     * The bootstrap's seed for a run of root seed {@code root}: the override, else the derived stream's low 32 bits
     * (the resampler is numpy's RandomState, whose seeds are 32-bit).
     */
    public long bootstrapSeed(long root) {
        return bootstrapSeed != null ? bootstrapSeed : org.mtcompress.util.Seeds.derive(root, "bootstrap") & 0xFFFFFFFFL;
    }
}
