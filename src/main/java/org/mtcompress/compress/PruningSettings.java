package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * Iterative magnitude pruning: sparsity {@code start} at step 0, then {@code rounds} more rounds every
 * {@code steps_per_round} retraining steps up to {@code end} (linear or cubic in the round index), see
 * {@link PruningSchedule}.
 */
@Doc("Iterative magnitude pruning settings")
public record PruningSettings(
        @Doc("Sparsity (fraction of zeros) of the first pruning, at step 0") @Default("0.3") @Range(min = 0, max = 1) double start,
        @Doc("Final sparsity") @Default("0.5") @Range(min = 0, max = 1) double end,
        @Doc("Rounds after the first; 0 prunes once to 'start'") @Default("2") @Range(min = 0, max = 1000) int rounds,
        @Doc("Retraining steps between rounds") @Default("1000") @Range(min = 1, max = 1e9) long stepsPerRound,
        @Doc("Cubic (Zhu & Gupta gradual) instead of linear sparsity steps between start and end") @Default("false") boolean cubic,
        @Doc("Threshold per tensor or one global threshold") @Default("per_tensor") PruningThreshold threshold) {

    public PruningSettings {
        if (end < start) {
            throw new IllegalArgumentException("pruning.end (" + end + ") must be >= pruning.start (" + start + ")");
        }
    }

    public static PruningSettings defaults() {
        return new PruningSettings(0.3, 0.5, 2, 1000, false, PruningThreshold.PER_TENSOR);
    }
}
