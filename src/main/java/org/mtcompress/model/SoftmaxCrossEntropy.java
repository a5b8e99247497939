package org.mtcompress.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

import java.util.List;

/**
 * Cross-entropy of each row of logits x [N, V] against a target distribution q [N, V] (label-smoothed one-hot rows,
 * each summing to 1): {@code -sum_j q_j log softmax(x)_j = lse(x) - q.x}, [N], with the derivative
 * {@code dx = g (softmax(x) - q)} computed from the forward pass's softmax.
 *
 * <p>Why: M2.1's native cross-entropy ops take the logarithm of every one of the N x V probabilities with a scalar
 * loop (about 0.3 s for 2,048 x 8,000 on two cores, more than the whole rest of a {@code tiny} step's forward pass),
 * and its log-sum-exp reduction is slower still; its softmax is fast. So the loss is computed from the softmax
 * p and the logits with logarithms of N numbers only: {@code lse = max_j x_j - log max_j p_j} (the largest
 * probability is at least 1/V, so its logarithm is finite), and the backward pass is one subtraction and one
 * scaling of p instead of a second softmax.
 *
 * <p>How the derivative is attached: the forward value is computed from a copy of x that shares its bits but
 * passes through an integer type (SameDiff does not differentiate through integer arrays), and a routing op (the
 * native identity, with x, q and p as extra inputs) carries the value on and declares the derivative above, and
 * zero for the value itself. So SameDiff builds no backward ops for the ops of the forward value.
 */
public final class SoftmaxCrossEntropy {
    static {
        // so that the gradient graph's copy of the routing op is our class (see OpRegistry)
        OpRegistry.copyAs(Route.NATIVE, Route.class);
    }

    private SoftmaxCrossEntropy() {
    }

    /** Per-row cross-entropy [N] of logits [N, V] against target rows [N, V] that each sum to 1. */
    static SDVariable apply(SameDiff sd, SDVariable logits, SDVariable targets) {
        SDVariable bits = new BitView(sd, logits, DataType.INT32).outputVariable();
        SDVariable x = new BitView(sd, bits, DataType.FLOAT).outputVariable();      // same values, no gradient path
        SDVariable p = sd.nn().softmax(x, 1);
        SDVariable lse = x.max(true, 1).sub(sd.math().log(p.max(true, 1)));
        SDVariable rows = sd.reshape(lse.sub(x.mul(targets).sum(true, 1)), -1);
        return new Route(sd, rows, logits, targets, p).outputVariable();
    }

    /** The native bitcast: the same bits as another data type (here FLOAT to INT32 and back). */
    static final class BitView extends DynamicCustomOp {
        private DataType to;

        /** For SameDiff, which makes ops by reflection. */
        public BitView() {
        }

        BitView(SameDiff sd, SDVariable in, DataType to) {
            super(null, sd, new SDVariable[]{in}, false);
            this.to = to;
            addIArgument(to.toInt());
        }

        @Override
        public String opName() {
            return "bitcast";
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(to != null ? to : DataType.fromInt((int) iArgs()[0]));
        }
    }

    /**
     * The native identity on the row losses, with the logits, targets and softmax as extra inputs (the native op
     * reads only the first): its derivative is the cross-entropy's. With one input (any other identity op, since
     * the registry entry is process-wide) it is the plain identity.
     */
    public static final class Route extends DynamicCustomOp {
        static final String NATIVE = "identity";

        /** For SameDiff, which makes ops by reflection. */
        public Route() {
        }

        Route(SameDiff sd, SDVariable rows, SDVariable logits, SDVariable targets, SDVariable softmax) {
            super(null, sd, new SDVariable[]{rows, logits, targets, softmax}, false);
        }

        @Override
        public String opName() {
            return NATIVE;
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0));
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> gradOut) {
            SDVariable g = gradOut.get(0);
            if (args().length != 4) {
                return List.of(g);
            }
            SameDiff sd = sameDiff;
            SDVariable q = arg(2), p = arg(3);
            SDVariable gc = sd.expandDims(g, 1);                                          // [N, 1]
            SDVariable dx = p.sub(q).mul(gc);
            SDVariable dq = sd.math().log(p).mul(gc).neg();     // only computed when something needs it
            // the whole derivative is in dx and dq: zero for the forward value's inputs (rows, p), so that what
            // they were computed from gets nothing through them (x's copy has no gradient path at all; the
            // targets get zero from that path when something differentiates them)
            return List.of(sd.zerosLike(arg(0)), dx, dq, sd.zerosLike(p));
        }
    }
}
