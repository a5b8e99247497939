package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The linear op against plain ND4J arithmetic, and its gradient graph made of the native backward op. */
class LinearOpTest {

    @Test
    void forwardAndGradientsMatchTheFormulas() {
        Set<String> ops = check(4);
        // the gradient graph kept this class (SameDiff copies forward ops through its registry): one native
        // backward op, no transposes or separate matmuls
        assertTrue(ops.contains("xw_plus_b_bp"), ops.toString());
        assertFalse(ops.contains("transpose") || ops.contains("matmul"), ops.toString());
    }

    @Test
    void wideOutputsTakeTheBiasGradientFromAMatrixProduct() {
        Set<String> ops = check((int) LinearOp.WIDE);
        assertTrue(ops.contains("matmul") && !ops.contains("xw_plus_b_bp"), ops.toString());
    }

    private static void assertClose(INDArray want, INDArray got) {
        double scale = Math.max(1, want.amaxNumber().doubleValue());
        assertEquals(0, got.sub(want).amaxNumber().doubleValue(), 4e-6 * scale);
    }

    /** Checks y = x W^T + b and its gradients for a weight [out, 3]; returns the gradient graph's op names. */
    private static Set<String> check(int out) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3), w = Nd4j.rand(DataType.FLOAT, out, 3), b = Nd4j.rand(DataType.FLOAT, out);
        INDArray r = Nd4j.rand(DataType.FLOAT, 5, out);
        SameDiff sd = SameDiff.create();
        SDVariable y = LinearOp.apply(sd, sd.var("x", x), sd.var("w", w), sd.var("b", b));
        sd.setLossVariables(y.mul(sd.constant(r)).sum());

        INDArray want = x.mmul(w.transpose()).addRowVector(b);
        assertEquals(0, y.eval().sub(want).amaxNumber().doubleValue(), 1e-6);

        // loss = sum(y * r): dL/dy = r
        Map<String, INDArray> g = sd.calculateGradients(new HashMap<>(), List.of("x", "w", "b"));
        // relative to the largest expected value: a sum over 512 products is ~64, and BLAS kernels (Haswell,
        // SkylakeX) round it differently in the last bits
        assertClose(r.mmul(w), g.get("x"));
        assertClose(r.transpose().mmul(x), g.get("w"));
        assertClose(r.sum(0), g.get("b"));

        return sd.getFunction("grad").getOps().values().stream()
                .map(SameDiffOp::getOp).map(op -> op.opName()).collect(Collectors.toSet());
    }
}
