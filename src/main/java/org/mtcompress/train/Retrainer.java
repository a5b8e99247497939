package org.mtcompress.train;

import org.mtcompress.model.NamedParameters;

/**
 * Runs {@code steps} optimizer steps on {@code params}, calling {@code hook.afterStep} after each one. The
 * training loop provides this; compression needs nothing else from it.
 */
@FunctionalInterface
public interface Retrainer {
    void retrain(NamedParameters params, long steps, TrainingHook hook);
}
