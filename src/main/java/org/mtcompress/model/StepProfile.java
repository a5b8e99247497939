package org.mtcompress.model;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Wall time of every op a training step runs, summed per op type and pass (forward: ops of the forward graph;
 * backward: the ops SameDiff added to differentiate it), with the floating-point work of the matrix products.
 * Attached to a model's training graph with {@link Transformer#profile}; {@code mtc bench train --profile} prints it.
 * <p>
 * Matrix-product work is counted from the arrays' lengths, whatever the transpose flags: for C = A B with batch
 * size b (C's leading dimensions), 2 b M N K = 2 sqrt(|A| |B| |C| / b). The linear layer's backward op computes two
 * such products (input and weight gradients).
 */
public final class StepProfile extends BaseListener {
    /** Time, calls and floating-point operations of one op type in one pass. */
    public static final class Entry {
        long nanos;
        long calls;
        double flops;

        public double seconds() {
            return nanos / 1e9;
        }

        public long calls() {
            return calls;
        }

        public double flops() {
            return flops;
        }
    }

    private final Set<String> forwardOps = new HashSet<>();
    private final Map<String, Entry> forward = new TreeMap<>();
    private final Map<String, Entry> backward = new TreeMap<>();
    private long started;
    private boolean running;

    /** Names the forward ops (those of the training graph itself); every other op a step runs is backward. */
    void forwardOps(Collection<String> names) {
        forwardOps.addAll(names);
    }

    /** Starts or stops counting (warm-up steps are not counted). */
    public void running(boolean on) {
        running = on;
    }

    public Map<String, Entry> forward() {
        return forward;
    }

    public Map<String, Entry> backward() {
        return backward;
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        started = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        long t = System.nanoTime() - started;
        if (!running) {
            return;
        }
        String type = op.getOp().opName();
        Entry e = (forwardOps.contains(op.getName()) ? forward : backward).computeIfAbsent(type, k -> new Entry());
        e.nanos += t;
        e.calls++;
        List<INDArray> in = ctx == null ? List.of() : ctx.getInputArrays();
        e.flops += flops(type, in, outputs);
    }

    static double flops(String type, List<INDArray> in, INDArray[] out) {
        switch (type) {
            case "matmul", "mmul", "xw_plus_b" -> {
                if (in.size() < 2 || out.length < 1 || out[0] == null) {
                    return 0;
                }
                INDArray c = out[0];
                long rows = c.rank() >= 2 ? c.size(-2) * c.size(-1) : c.length();
                double batch = Math.max(1, c.length() / (double) Math.max(1, rows));
                return 2 * Math.sqrt((double) in.get(0).length() * in.get(1).length() * c.length() / batch);
            }
            case "matmul_bp" -> {
                // inputs A, B and the output's gradient G: dA and dB are one product each
                if (in.size() < 3) {
                    return 0;
                }
                INDArray g = in.get(2);
                long rows = g.rank() >= 2 ? g.size(-2) * g.size(-1) : g.length();
                double batch = Math.max(1, g.length() / (double) Math.max(1, rows));
                return 4 * Math.sqrt((double) in.get(0).length() * in.get(1).length() * g.length() / batch);
            }
            case "xw_plus_b_bp" -> {
                if (in.size() < 4) {
                    return 0;
                }
                return 4 * Math.sqrt((double) in.get(0).length() * in.get(1).length() * in.get(3).length());
            }
            default -> {
                return 0;
            }
        }
    }
}
