package org.mtcompress.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;

import java.util.List;

/**
 * Layer normalization over the last axis of [N, d] rows: M2.1's native forward op, with a backward pass written
 * here from elementwise ops and reductions.
 *
 * <p>Why: M2.1's native {@code layer_norm_bp} took ~14 ms per [2048, 256] array (a quarter of a second per
 * {@code small} step, for 17 norms). The derivative used here, with {@code xhat = (x - mean) / std} over the row
 * (population standard deviation, no epsilon: what the native forward computes):
 * {@code dx = (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)) / std}, {@code dxhat = dy * gain},
 * {@code dgain = sum over rows of dy * xhat}, {@code dbias = sum over rows of dy}.
 */
public final class LayerNormOp extends LayerNorm {
    static {
        // so that the gradient graph's copy of this op is this class (see OpRegistry)
        OpRegistry.copyAs("layer_norm", LayerNormOp.class);
    }

    /** For SameDiff, which makes ops by reflection. */
    public LayerNormOp() {
    }

    private LayerNormOp(SameDiff sd, SDVariable x, SDVariable gain, SDVariable bias) {
        super(sd, x, gain, bias, false, 1);
    }

    /** Normalizes each row of x [N, d], then scales by gain [d] and shifts by bias [d]. */
    static SDVariable apply(SameDiff sd, SDVariable x, SDVariable gain, SDVariable bias) {
        return new LayerNormOp(sd, x, gain, bias).outputVariable();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradOut) {
        // rows of a rank-2 array with gain and bias, as the Transformer builds it; anything else (the registry
        // entry is process-wide) keeps M2.1's derivative
        int[] dims = getDimensions();
        boolean[] flags = bArgs();
        boolean channelsFirst = flags != null && flags.length > 0 && flags[0];
        if (args().length != 3 || dims == null || dims.length != 1 || dims[0] != 1 || channelsFirst
                || (arg(0).getShape() != null && arg(0).getShape().length != 2)) {
            return super.doDiff(gradOut);
        }
        SameDiff sd = sameDiff;
        SDVariable x = arg(0), gain = arg(1), dy = gradOut.get(0);
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable invStd = sd.math().rsqrt(sd.math().square(centred).mean(true, 1));
        SDVariable xhat = centred.mul(invStd);
        SDVariable dxhat = dy.mul(gain);
        SDVariable dx = dxhat.sub(dxhat.mean(true, 1)).sub(xhat.mul(dxhat.mul(xhat).mean(true, 1))).mul(invStd);
        return List.of(dx, dy.mul(xhat).sum(0), dy.sum(0));
    }
}
