package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNormBp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer-norm op's hand-written backward pass against M2.1's native one, on the same forward op. */
class LayerNormOpTest {

    @Test
    void gradientsEqualTheNativeBackwardOp() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 5).muli(3).subi(1), gain = Nd4j.rand(DataType.FLOAT, 5).addi(0.5),
                bias = Nd4j.rand(DataType.FLOAT, 5), r = Nd4j.rand(DataType.FLOAT, 6, 5).subi(0.5);
        Map<String, INDArray> ours = gradients(x, gain, bias, r);
        // M2.1's native backward op, run directly (dL/dy = r)
        INDArray dx = x.ulike(), dg = gain.ulike(), db = bias.ulike();
        Nd4j.exec(new LayerNormBp(x, gain, bias, r, dx, dg, db, false, 1));
        Map<String, INDArray> reference = Map.of("x", dx, "gain", dg, "bias", db);
        for (String n : List.of("x", "gain", "bias")) {
            double diff = ours.get(n).sub(reference.get(n)).amaxNumber().doubleValue();
            assertEquals(0, diff, 1e-4, n);
        }
        assertTrue(ours.get("x").amaxNumber().doubleValue() > 1e-3);
    }

    /** Gradients of sum(layerNorm(x) * r) by our op; its gradient graph has no native backward op. */
    private static Map<String, INDArray> gradients(INDArray x, INDArray gain, INDArray bias, INDArray r) {
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup()), g = sd.var("gain", gain.dup()), b = sd.var("bias", bias.dup());
        SDVariable y = LayerNormOp.apply(sd, xv, g, b);
        sd.setLossVariables(y.mul(sd.constant(r)).sum());
        Map<String, INDArray> grads = sd.calculateGradients(new HashMap<>(), List.of("x", "gain", "bias"));
        Set<String> ops = sd.getFunction("grad").getOps().values().stream()
                .map(SameDiffOp::getOp).map(op -> op.opName()).collect(Collectors.toSet());
        assertFalse(ops.contains("layer_norm_bp"), ops.toString());
        return grads;
    }
}
