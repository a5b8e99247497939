package org.mtcompress.train;

import org.mtcompress.data.Batch;

import java.util.List;

/**
 * Connects compression to the training loop: a {@link Retrainer} that runs optimizer steps of a fresh
 * {@link Trainer} over the model the compressor acted on, with the compressor's state as its after-step hook.
 */
public final class Retraining {
    private Retraining() {
    }

    /**
     * Retraining of {@code trainer.model()} over {@code source}'s epochs (0, 1, ... as needed). The parameters the
     * compressor was applied to must be {@code trainer.model().parameters()}; the hook is added to {@code trainer}.
     */
    public static Retrainer of(Trainer trainer, Trainer.BatchSource source) {
        return (params, steps, hook) -> {
            trainer.addHook(hook);
            long done = 0;
            for (int epoch = 0; done < steps; epoch++) {
                List<Batch> batches = source.epoch(epoch);
                if (batches.isEmpty()) {
                    throw new IllegalArgumentException("retraining data has no batches");
                }
                for (int i = 0; i < batches.size() && done < steps; i++, done++) {
                    trainer.trainStep(batches.get(i));
                }
            }
        };
    }
}
