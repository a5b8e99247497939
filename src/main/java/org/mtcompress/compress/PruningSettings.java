package org.mtcompress.compress;

import org.mtcompress.config.AddedLater;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * Iterative magnitude pruning: sparsity {@code start} at step 0, then {@code rounds} more rounds every
 * {@code steps_per_round} retraining steps up to {@code end} (linear or cubic in the round index), see
 * {@link PruningSchedule}. With {@code over_retraining} the rounds are spread over the stage's retraining budget
 * instead: the last mask update falls at {@code (1 - recovery_fraction)} of it, so the final sparsity gets the rest
 * of the budget to recover ({@link #forBudget}).
 */
@Doc("Iterative magnitude pruning settings")
public record PruningSettings(
        @Doc("Sparsity (fraction of zeros) of the first pruning, at step 0") @Default("0.3") @Range(min = 0, max = 1) double start,
        @Doc("Final sparsity") @Default("0.5") @Range(min = 0, max = 1) double end,
        @Doc("Rounds after the first; 0 prunes once to 'start'") @Default("2") @Range(min = 0, max = 1000) int rounds,
        @Doc("Retraining steps between rounds") @Default("1000") @Range(min = 1, max = 1e9) long stepsPerRound,
        @Doc("Cubic (Zhu & Gupta gradual) instead of linear sparsity steps between start and end") @Default("false") boolean cubic,
        @Doc("Threshold per tensor or one global threshold") @Default("per_tensor") PruningThreshold threshold,
        @Doc("Spread the rounds over the stage's retraining steps (steps_per_round is then derived from the budget "
                + "and recovery_fraction, and ignored if set)") @AddedLater("2026-12-03") @Default("false") boolean overRetraining,
        @Doc("over_retraining only: the fraction of the retraining steps left after the last mask update for "
                + "recovery at the final sparsity") @AddedLater("2026-12-03") @Default("0.25") @Range(min = 0, max = 0.95) double recoveryFraction) {

    public PruningSettings {
        if (end < start) {
            throw new IllegalArgumentException("pruning.end (" + end + ") must be >= pruning.start (" + start + ")");
        }
    }

    /** Rounds every {@code stepsPerRound} steps (not tied to the retraining budget). */
    public PruningSettings(double start, double end, int rounds, long stepsPerRound, boolean cubic,
                           PruningThreshold threshold) {
        this(start, end, rounds, stepsPerRound, cubic, threshold, false, 0.25);
    }

    public static PruningSettings defaults() {
        return new PruningSettings(0.3, 0.5, 2, 1000, false, PruningThreshold.PER_TENSOR);
    }

    /**
     * The pruning span of a retraining of {@code retrainSteps} steps: the step of the last mask update,
     * {@code floor((1 - recovery_fraction) * retrainSteps)}, which is the T of the cubic schedule.
     */
    public long pruningSpan(long retrainSteps) {
        return (long) Math.floor((1 - recoveryFraction) * retrainSteps + 1e-9);
    }

    /**
     * These settings with {@code steps_per_round} derived from a retraining of {@code retrainSteps} steps when
     * {@code over_retraining} is set: {@code floor(pruningSpan / rounds)}, so the last round lands at or just before
     * the span's end (the remainder, under {@code rounds} steps, adds to the recovery). Unchanged otherwise.
     *
     * @throws IllegalArgumentException when the budget is too short for one step per round
     */
    public PruningSettings forBudget(long retrainSteps) {
        if (!overRetraining || rounds == 0) {
            return this;
        }
        long span = pruningSpan(retrainSteps);
        if (span < rounds) {
            throw new IllegalArgumentException("key 'pruning.over_retraining': " + rounds + " rounds need at least "
                    + rounds + " steps before recovery, but " + retrainSteps + " retraining steps with recovery_fraction "
                    + recoveryFraction + " leave " + span + " (raise retrain steps, or lower pruning.rounds or "
                    + "pruning.recovery_fraction)");
        }
        return new PruningSettings(start, end, rounds, span / rounds, cubic, threshold, false, recoveryFraction);
    }
}
