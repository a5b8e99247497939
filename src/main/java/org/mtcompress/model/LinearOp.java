package org.mtcompress.model;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code x W^T + b} for a weight stored {@code [out, in]} (PyTorch's layout, which the parameter names promise): the
 * native {@code xw_plus_b} op with its weight-transposed flag, differentiated by the native {@code xw_plus_b_bp} op
 * with the same flag.
 *
 * <p>Why not {@code sd.nn().linear(x, sd.transpose(W), b)}: SameDiff M2.1's class for that op neither sets the flag
 * nor uses the backward op, so every step copied each weight into a transpose and its gradient back (96 copy ops a
 * {@code small} step) and differentiated each layer with three ops (two matmuls and a column sum) instead of one.
 *
 * <p>The same op otherwise: with the flag off it computes what M2.1's {@code XwPlusB} computes, and its backward
 * passes on whatever flag the forward op has.
 */
public final class LinearOp extends DynamicCustomOp {
    private static final String NATIVE = "xw_plus_b";
    /** Output width from which the backward pass computes the bias gradient as a matrix product (see doDiff). */
    static final long WIDE = 512;

    static {
        // so that the gradient graph's copy of this op is this class (see OpRegistry)
        OpRegistry.copyAs(NATIVE, LinearOp.class);
    }

    /** For SameDiff, which makes ops by reflection. */
    public LinearOp() {
    }

    private LinearOp(SameDiff sd, SDVariable x, SDVariable weight, SDVariable bias) {
        super(null, sd, new SDVariable[]{x, weight, bias}, false);
        addIArgument(1);
    }

    /** rows [N, in] times weight [out, in] transposed, plus bias [out]: [N, out]. */
    static SDVariable apply(SameDiff sd, SDVariable x, SDVariable weight, SDVariable bias) {
        return new LinearOp(sd, x, weight, bias).outputVariable();
    }

    @Override
    public String opName() {
        return NATIVE;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    /**
     * No named properties: the copy SameDiff makes carries the integer flag as an integer argument already, and
     * the named form ({@code bTranspose}) has no field here to be written to (SameDiff would warn at every copy).
     */
    @Override
    public Map<String, Object> propertiesForFunction() {
        return new HashMap<>();
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradOut) {
        SDVariable g = gradOut.get(0);
        long[] w = arg(1).getShape();
        boolean transposed = iArgs().length > 0 && iArgs()[0] == 1;
        if (!transposed || w == null || w.length != 2 || w[0] < WIDE) {
            Backward bp = new Backward(sameDiff, arg(0), arg(1), arg(2), g, iArgs());
            return Arrays.asList(bp.outputVariables());
        }
        // a wide output: the native op's bias gradient, a column sum of g [N, out], took ~15 ms for out = 1024
        // (strided reads); as ones [1, N] times g it is a matrix-vector product (~1.5 ms)
        SDVariable x = arg(0), weight = arg(1);
        SDVariable ones = sameDiff.onesLike(g.get(SDIndex.all(), SDIndex.interval(0, 1)));   // [N, 1]
        SDVariable dBias = sameDiff.reshape(sameDiff.mmul(ones, g, true, false, false), -1);
        return List.of(sameDiff.mmul(g, weight), sameDiff.mmul(g, x, true, false, false), dBias);
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> in) {
        return List.of(in.get(0));
    }

    /** The native backward op: the gradients of x, weight and bias in one op. */
    public static final class Backward extends DynamicCustomOp {
        public Backward() {
        }

        Backward(SameDiff sd, SDVariable x, SDVariable weight, SDVariable bias, SDVariable gradOut, long[] flags) {
            super(null, sd, new SDVariable[]{x, weight, bias, gradOut}, false);
            addIArgument(flags);
        }

        @Override
        public String opName() {
            return "xw_plus_b_bp";
        }

        @Override
        public int getNumOutputs() {
            return 3;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0), in.get(1), in.get(2));
        }
    }
}
