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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused softmax cross-entropy: loss and derivatives against the formulas, against the unfused graph
 * (log-softmax, product, sum, differentiated by SameDiff) and against finite differences.
 */
class SoftmaxCrossEntropyTest {
    private static final int N = 5, V = 9;

    /** Random logits spread over [-4, 4] (a large one in row 0) and random target rows that sum to 1. */
    private static INDArray[] inputs() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, N, V).muli(8).subi(4);
        x.putScalar(0, 3, 40f);
        INDArray q = Nd4j.rand(DataType.FLOAT, N, V);
        q.diviColumnVector(q.sum(1).reshape(N, 1));
        INDArray w = Nd4j.rand(DataType.FLOAT, N);                        // dL/d(row loss)
        return new INDArray[]{x, q, w};
    }

    private static SameDiff graph(INDArray x, INDArray q, INDArray w, boolean fused) {
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup()), qv = sd.var("q", q.dup());
        SDVariable rows = fused ? SoftmaxCrossEntropy.apply(sd, xv, qv)
                : sd.nn().logSoftmax(xv).mul(qv).sum(1).neg();
        sd.setLossVariables(rows.mul(sd.constant(w)).sum("loss"));
        return sd;
    }

    @Test
    void lossAndGradientsMatchTheFormulasAndTheUnfusedGraph() {
        INDArray[] in = inputs();
        INDArray x = in[0], q = in[1], w = in[2];
        SameDiff fused = graph(x, q, w, true), plain = graph(x, q, w, false);

        INDArray logp = Nd4j.exec(new LogSoftMax(x.dup()))[0];
        INDArray rows = logp.mul(q).sum(1).neg();
        double want = rows.mul(w).sumNumber().doubleValue();
        double got = fused.output(new HashMap<>(), "loss").get("loss").getDouble(0);
        assertEquals(want, got, 1e-5 * Math.abs(want));
        assertEquals(plain.output(new HashMap<>(), "loss").get("loss").getDouble(0), got, 1e-5 * Math.abs(want));

        Map<String, INDArray> g = fused.calculateGradients(new HashMap<>(), List.of("x", "q"));
        Map<String, INDArray> gp = plain.calculateGradients(new HashMap<>(), List.of("x", "q"));
        INDArray wCol = w.reshape(N, 1);
        INDArray dx = Transforms.exp(logp).sub(q).mulColumnVector(wCol);
        INDArray dq = logp.neg().mulColumnVector(wCol);
        assertEquals(0, g.get("x").sub(dx).amaxNumber().doubleValue(), 1e-5);
        assertEquals(0, g.get("q").sub(dq).amaxNumber().doubleValue(), 1e-5);
        assertEquals(0, g.get("x").sub(gp.get("x")).amaxNumber().doubleValue(), 1e-5);
        assertEquals(0, g.get("q").sub(gp.get("q")).amaxNumber().doubleValue(), 1e-5);

        // the backward pass is the one subtraction: nothing differentiates the forward value's ops
        Set<String> ops = fused.getFunction("grad").getOps().values().stream()
                .map(SameDiffOp::getOp).map(op -> op.opName()).collect(Collectors.toSet());
        assertFalse(ops.contains("softmax_bp"), ops.toString());
        assertFalse(ops.contains("reduce_max_bp"), ops.toString());
        assertFalse(ops.contains("log_softmax_bp"), ops.toString());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray[] in = inputs();
        INDArray x = in[0], q = in[1], w = in[2];
        SameDiff sd = graph(x, q, w, true);
        INDArray dx = sd.calculateGradients(new HashMap<>(), List.of("x")).get("x").dup();
        double h = 1e-2;
        int checked = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < V; j += 2) {
                INDArray live = sd.getVariable("x").getArr();
                float orig = live.getFloat(i, j);
                live.putScalar(i, j, orig + h);
                double up = sd.output(new HashMap<>(), "loss").get("loss").getDouble(0);
                live.putScalar(i, j, orig - h);
                double down = sd.output(new HashMap<>(), "loss").get("loss").getDouble(0);
                live.putScalar(i, j, orig);
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, dx.getDouble(i, j), 5e-3 + 0.02 * Math.abs(numeric), "x[" + i + "," + j + "]");
                checked++;
            }
        }
        assertTrue(checked >= 25);
    }
}
