package org.mtcompress.config;

import java.util.List;

/** Which corpus a run trains on and how it is prepared. */
@Doc("data: the corpus and its subword vocabulary")
public record DataConfig(
        @Doc("dataset name: a spec in configs/data/<name>.yaml") @Default("multi30k") String dataset,
        @Doc("joint subword vocabulary size") @Default("8000") @Range(min = 256, max = 128000) int vocabSize,
        @Doc("folders searched for the dataset's files before downloading") @Default("[]") List<String> mirrors,
        @Doc("download and encoded-corpus cache folder (default: $MTC_CACHE or ~/.cache/mtcompress)") @Default("~")
        String cacheDir,
        @Doc("seed of the vocabulary learner's sentence sampling: a data setting, not derived from the run's root "
                + "seed, so runs with different seeds share one vocabulary")
        @Default(DataConfig.VOCAB_SEED_DEFAULT) @Range(min = 0) long vocabSeed) {

    /** The default of {@link #vocabSeed}, also used by {@code mtc data vocab}. */
    public static final String VOCAB_SEED_DEFAULT = "42";
}
