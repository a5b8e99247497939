package org.mtcompress.train;

import org.mtcompress.config.TrainConfig;
import org.mtcompress.model.ParameterMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with bias correction, kept by the project rather than SameDiff's updater so that the
 * step, the gradient clipping before it and its state in checkpoints are all in our hands.
 */
public final class AdamState {
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();

    /**
     * Applies one Adam step in place: {@code p -= lr * mhat / (sqrt(vhat) + eps)}.
     *
     * @param step 1-based number of this step (for bias correction)
     */
    public void apply(Map<String, INDArray> params, Map<String, INDArray> grads, double lr, TrainConfig cfg, long step) {
        double b1 = cfg.beta1(), b2 = cfg.beta2();
        double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
        double stepSize = lr * Math.sqrt(c2) / c1;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String n = e.getKey();
            INDArray g = grads.get(n);
            if (g == null) {
                continue;
            }
            INDArray p = e.getValue();
            INDArray mm = m.computeIfAbsent(n, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray vv = v.computeIfAbsent(n, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray gg = g.reshape(p.shape());
            mm.muli(b1).addi(gg.mul(1 - b1));
            vv.muli(b2).addi(gg.mul(gg).muli(1 - b2));
            // eps is scaled like in PyTorch's Adam: added to sqrt(v) / sqrt(c2)
            INDArray denom = Transforms.sqrt(vv, true).addi(cfg.eps() * Math.sqrt(c2));
            p.subi(mm.div(denom).muli(stepSize));
        }
    }

    /** The state as named tensors ({@code adam.m.<name>}, {@code adam.v.<name>}) for checkpoints. */
    public ParameterMap export() {
        ParameterMap out = new ParameterMap();
        for (String n : m.keySet()) {
            out.put("adam.m." + n, m.get(n).shape(), m.get(n).dup('c').data().asFloat());
            out.put("adam.v." + n, v.get(n).shape(), v.get(n).dup('c').data().asFloat());
        }
        return out;
    }

    /** Restores the state written by {@link #export}. */
    public static AdamState restore(ParameterMap saved) {
        AdamState s = new AdamState();
        for (String key : saved.names()) {
            INDArray a = Nd4j.create(saved.read(key), saved.shape(key), 'c');
            if (key.startsWith("adam.m.")) {
                s.m.put(key.substring(7), a);
            } else if (key.startsWith("adam.v.")) {
                s.v.put(key.substring(7), a);
            } else {
                throw new IllegalArgumentException("unknown optimizer state '" + key + "'");
            }
        }
        return s;
    }
}
