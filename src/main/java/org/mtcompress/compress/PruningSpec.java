package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;

/** Settings of {@link PruningCompressor}: iterative magnitude pruning on a schedule of retraining steps. */
@Doc("iterative magnitude pruning: scope and schedule")
public record PruningSpec(
        @Doc("prune") String name,
        @Doc("Which parameters to prune") @Default("{}") ScopeSpec scope,
        @Doc("The pruning schedule and threshold") @Default("{}") PruningSettings pruning) implements CompressorSpec {

    public PruningSpec {
        Names.require(name, PruningCompressor.NAME);
    }

    @Override
    public PruningSpec withScope(ScopeSpec s) {
        return new PruningSpec(name, s, pruning);
    }

    /** With {@code over_retraining}, the schedule fixed to a retraining of {@code steps} steps. */
    @Override
    public PruningSpec forRetraining(long steps) {
        return pruning.overRetraining() ? new PruningSpec(name, scope, pruning.forBudget(steps)) : this;
    }

    /**
     * The last mask update happens after {@code rounds * steps_per_round} retraining steps; at least one step of
     * retraining must follow it, or the final sparsity is never reached (or never recovered from).
     */
    @Override
    public void checkRetraining(long steps) {
        if (pruning.overRetraining()) {
            if (steps <= 0) {
                throw new IllegalArgumentException("key 'pruning.over_retraining': spreads the rounds over the "
                        + "retraining steps, but this stage has no retraining (set retrain steps, or "
                        + "over_retraining: false)");
            }
            pruning.forBudget(steps);
            return;
        }
        long last = PruningSchedule.of(pruning).lastStep();
        if (last > 0 && last >= steps) {
            throw new IllegalArgumentException("key 'pruning': the schedule's last mask update is after step " + last
                    + " (rounds " + pruning.rounds() + " x steps_per_round " + pruning.stepsPerRound()
                    + ") but retraining has " + steps + " steps: it must leave recovery steps after it (raise "
                    + "retrain steps above " + last + ", or lower pruning.rounds or pruning.steps_per_round)");
        }
    }
}
