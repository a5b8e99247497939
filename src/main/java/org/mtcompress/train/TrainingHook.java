package org.mtcompress.train;

import org.mtcompress.model.NamedParameters;

/**
 * Called by the training loop after every optimizer step. Compressors use it to keep their constraint
 * during retraining: re-apply pruning masks, snap weights to centroids, or update latent full-precision
 * weights and write back their binarized form (straight-through estimator: the difference between the
 * weights now and the ones written after the previous step is the update the optimizer applied).
 */
@FunctionalInterface
public interface TrainingHook {
    /**
     * @param params the live parameters (writes take effect in the next forward pass)
     * @param step   the number of optimizer steps done so far (1 after the first step)
     */
    void afterStep(NamedParameters params, long step);
}
