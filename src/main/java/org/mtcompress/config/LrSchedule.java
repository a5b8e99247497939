package org.mtcompress.config;

/** The shape of the learning rate over optimizer steps, after a linear warm-up to the peak. */
public enum LrSchedule {
    /** {@code lr * sqrt(warmup / step)} after warm-up ("Attention Is All You Need"); never reaches zero. */
    INVERSE_SQRT,
    /**
     * Half a cosine from the peak at the end of warm-up to zero at the last step ({@code max_steps}): a warm
     * restart for retraining, ending with the smallest steps on the compressed model.
     */
    COSINE
}
