package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The cross-entropy op and its hand-written derivative against the formulas, for targets that do not sum to 1 too. */
class CrossEntropyOpTest {

    @Test
    void lossAndGradientsMatchTheFormulas() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 7).muli(4).subi(2), q = Nd4j.rand(DataType.FLOAT, 4, 7);
        INDArray w = Nd4j.rand(DataType.FLOAT, 4);                        // dL/d(row loss)
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup()), qv = sd.var("q", q.dup());
        SDVariable rowLoss = CrossEntropyOp.apply(sd, xv, qv);
        sd.setLossVariables(rowLoss.mul(sd.constant(w)).sum());

        INDArray logp = Nd4j.exec(new LogSoftMax(x.dup()))[0];
        INDArray want = logp.mul(q).sum(1).neg();
        assertEquals(0, rowLoss.eval().sub(want).amaxNumber().doubleValue(), 1e-5);

        Map<String, INDArray> g = sd.calculateGradients(new HashMap<>(), List.of("x", "q"));
        INDArray wCol = w.reshape(4, 1);
        INDArray dx = Transforms.exp(logp).mulColumnVector(q.sum(1).reshape(4, 1)).sub(q).mulColumnVector(wCol);
        INDArray dq = logp.neg().mulColumnVector(wCol);
        assertEquals(0, g.get("x").sub(dx).amaxNumber().doubleValue(), 1e-5);
        assertEquals(0, g.get("q").sub(dq).amaxNumber().doubleValue(), 1e-5);

        Set<String> ops = sd.getFunction("grad").getOps().values().stream()
                .map(SameDiffOp::getOp).map(op -> op.opName()).collect(Collectors.toSet());
        assertFalse(ops.contains("softmax_cross_entropy_loss_with_logits_grad"), ops.toString());
    }
}
