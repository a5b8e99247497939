package org.mtcompress.model;

/**
 * Word-level knowledge distillation (Hinton et al. 2015; Kim &amp; Rush 2016): the training loss per target token is
 * {@code (1 - alpha) * CE(q, p_s) + alpha * T^2 * KL(p_t^T || p_s^T)}, where q is the label-smoothed gold
 * distribution, p_s the student's softmax, and {@code p^T} a softmax of logits divided by the temperature T
 * (the T^2 keeps the soft term's gradients on the scale of the hard term's). The teacher's distribution is an input
 * of the training step ({@link Transformer#softTargets}); the loss value reported includes the constant
 * {@code alpha * T^2 * H(p_t^T)} (KL = cross-entropy minus the teacher's entropy), which has no gradient.
 *
 * @param alpha       weight of the distillation term, in [0, 1]; 0 = plain cross-entropy
 * @param temperature softmax temperature of teacher and student in the distillation term, > 0
 */
public record Distillation(double alpha, double temperature) {
    /** No distillation. */
    public static final Distillation NONE = new Distillation(0, 1);

    public Distillation {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + alpha);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("distillation temperature must be > 0, got " + temperature);
        }
    }

    /** True when the training step needs the teacher's distribution. */
    public boolean active() {
        return alpha > 0;
    }
}
