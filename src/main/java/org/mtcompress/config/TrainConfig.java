package org.mtcompress.config;

/**
 * Training hyperparameters: Adam with the inverse-square-root warm-up schedule of "Attention Is All You Need" (or
 * a cosine decay to zero, {@link LrSchedule}),
 * global gradient-norm clipping, label smoothing, token-budget batches, validation and early stopping. There is no
 * seed here: initialization, data order and dropout derive from the run's root seed
 * ({@link org.mtcompress.train.TrainSeeds}).
 */
@Doc("training: optimizer, schedule, batches, validation and stopping")
public record TrainConfig(
        @Doc("peak learning rate, reached at the end of warm-up") @Default("0.0007") @Range(min = 0, max = 1) double lr,
        @Doc("warm-up steps (linear rise, then lr * sqrt(warmup / step))") @Default("4000") @Range(min = 1) int warmupSteps,
        @Doc("Adam beta1") @Default("0.9") @Range(min = 0, max = 0.999999) double beta1,
        @Doc("Adam beta2") @Default("0.98") @Range(min = 0, max = 0.999999) double beta2,
        @Doc("Adam epsilon") @Default("1e-9") @Range(min = 0, max = 1) double eps,
        @Doc("clip the global gradient L2 norm to this value; 0 = no clipping") @Default("1.0") @Range(min = 0) double clipNorm,
        @Doc("label smoothing of the cross-entropy") @Default("0.1") @Range(min = 0, max = 0.9) double labelSmoothing,
        @Doc("stop after this many optimizer steps; 0 = no step limit") @Default("0") @Range(min = 0) long maxSteps,
        @Doc("stop after this many minutes of training; 0 = no time limit") @Default("0") @Range(min = 0) double maxMinutes,
        @Doc("stop after this many epochs") @Default("100") @Range(min = 1) int maxEpochs,
        @Doc("source + target tokens (with padding) per batch") @Default("4096") @Range(min = 16) int tokenBudget,
        @Doc("drop training pairs longer than this (tokens incl. EOS)") @Default("128") @Range(min = 4) int maxLength,
        @Doc("validate every N steps (loss; BLEU too when bleu_every_validation); 0 = once per epoch") @Default("500") @Range(min = 0) int validateEvery,
        @Doc("decode the validation set for BLEU at each validation (slower than loss alone)") @Default("true") boolean validationBleu,
        @Doc("stop when the validation score has not improved for this many validations; 0 = never") @Default("5") @Range(min = 0) int patience,
        @Doc("beam size for validation and test decoding; 1 = greedy") @Default("4") @Range(min = 1, max = 64) int beam,
        @Doc("length penalty alpha (GNMT: ((5+len)/6)^alpha)") @Default("0.6") @Range(min = 0, max = 5) double lengthPenalty,
        @Doc("learning rate after warm-up: inverse_sqrt, or cosine (half a cosine to zero at max_steps; needs "
                + "max_steps > warmup_steps)") @AddedLater("2026-12-03") @Default("inverse_sqrt") LrSchedule lrSchedule) {

    public TrainConfig {
        if (lrSchedule == LrSchedule.COSINE && maxSteps <= warmupSteps) {
            throw new IllegalArgumentException("key 'lr_schedule': cosine decays to zero at max_steps, which must be "
                    + "above warmup_steps (" + warmupSteps + "), got max_steps " + maxSteps);
        }
    }

    /** The inverse-square-root schedule. */
    public TrainConfig(double lr, int warmupSteps, double beta1, double beta2, double eps, double clipNorm,
                       double labelSmoothing, long maxSteps, double maxMinutes, int maxEpochs, int tokenBudget,
                       int maxLength, int validateEvery, boolean validationBleu, int patience, int beam,
                       double lengthPenalty) {
        this(lr, warmupSteps, beta1, beta2, eps, clipNorm, labelSmoothing, maxSteps, maxMinutes, maxEpochs, tokenBudget,
                maxLength, validateEvery, validationBleu, patience, beam, lengthPenalty, LrSchedule.INVERSE_SQRT);
    }

    /** A short schedule for tests: no validation, no clipping surprises. */
    public static TrainConfig quick(double lr, int warmup, long maxSteps) {
        return new TrainConfig(lr, warmup, 0.9, 0.98, 1e-9, 1.0, 0.1, maxSteps, 0, 1000, 4096, 128, 0, false, 0, 1, 0.6);
    }

    /**
     * Retraining after compression with this recipe's optimizer, batches and decoding: peak learning rate
     * {@code lr} after {@code warmupSteps}, then {@code schedule}, for exactly {@code steps} optimizer steps (no
     * time or epoch limit, no validation, no early stopping).
     */
    public TrainConfig retraining(double lr, int warmupSteps, long steps, LrSchedule schedule) {
        if (steps < 1 || warmupSteps < 1 || !(lr >= 0 && lr <= 1)) {
            throw new IllegalArgumentException("retraining needs steps >= 1, warm-up >= 1 and lr in [0, 1], got "
                    + steps + ", " + warmupSteps + ", " + lr);
        }
        return new TrainConfig(lr, warmupSteps, beta1, beta2, eps, clipNorm, labelSmoothing, steps, 0, 1_000_000,
                tokenBudget, maxLength, 0, false, 0, beam, lengthPenalty, schedule);
    }

    /** {@link #retraining(double, int, long, LrSchedule)} with the inverse-square-root schedule. */
    public TrainConfig retraining(double lr, int warmupSteps, long steps) {
        return retraining(lr, warmupSteps, steps, LrSchedule.INVERSE_SQRT);
    }

    /**
     * The learning rate at optimizer step {@code step} (1-based): linear warm-up to {@code lr} at
     * {@code warmup_steps}, then inverse square root, or with {@code cosine}
     * {@code lr * (1 + cos(pi * (step - warmup) / (max_steps - warmup))) / 2}, zero at {@code max_steps}.
     */
    public double lrAt(long step) {
        double s = Math.max(1, step);
        if (s <= warmupSteps) {
            return lr * s / warmupSteps;
        }
        if (lrSchedule == LrSchedule.COSINE) {
            double progress = Math.min(1, (s - warmupSteps) / (maxSteps - warmupSteps));
            return lr * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
        return lr * Math.sqrt(warmupSteps / s);
    }
}
