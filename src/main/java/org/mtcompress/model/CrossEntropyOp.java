package org.mtcompress.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.loss.SoftmaxCrossEntropyWithLogitsLoss;

import java.util.List;

/**
 * Cross-entropy of each row of logits [N, V] against a target distribution [N, V] (label-smoothed one-hot rows):
 * {@code -sum_j q_j log_softmax(x)_j}, [N]. M2.1's native forward op, with the derivative written here:
 * {@code dx = g * (softmax(x) * sum_j q_j - q)}, {@code dq = -g * log_softmax(x)}.
 *
 * <p>Why: written as log-softmax followed by a row-wise dot product, the loss left two vocabulary-sized backward
 * ops (log-softmax's and the dot product's, which also computes the unused gradient of the targets), about 120 ms
 * of a {@code tiny} step, plus the [N, V] log-probabilities kept for the backward pass. M2.1's own derivative of
 * this op, and of its {@code softmaxCrossEntropy} loss, fail the finite-difference test.
 */
public final class CrossEntropyOp extends SoftmaxCrossEntropyWithLogitsLoss {
    static {
        // so that the gradient graph's copy of this op is this class (see OpRegistry)
        OpRegistry.copyAs("softmax_cross_entropy_loss_with_logits", CrossEntropyOp.class);
    }

    /** For SameDiff, which makes ops by reflection. */
    public CrossEntropyOp() {
    }

    private CrossEntropyOp(SameDiff sd, SDVariable logits, SDVariable targets) {
        super(sd, logits, targets, 1);
    }

    /** Per-row cross-entropy [N] of logits [N, V] against target rows [N, V]. */
    static SDVariable apply(SameDiff sd, SDVariable logits, SDVariable targets) {
        return new CrossEntropyOp(sd, logits, targets).outputVariable();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradOut) {
        if (classesDim != 1 && classesDim != -1) {
            return super.doDiff(gradOut);
        }
        SameDiff sd = sameDiff;
        SDVariable x = arg(0), q = arg(1);
        SDVariable g = sd.expandDims(gradOut.get(0), 1);                                   // [N, 1]
        SDVariable dx = sd.nn().softmax(x, 1).mul(q.sum(true, 1)).sub(q).mul(g);
        SDVariable dq = sd.nn().logSoftmax(x).mul(g).neg();     // only computed when something needs it
        return List.of(dx, dq);
    }
}
