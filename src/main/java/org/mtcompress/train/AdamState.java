package org.mtcompress.train;

import org.mtcompress.config.TrainConfig;
import org.mtcompress.model.ParameterMap;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.mtcompress.util.NdArrays;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with bias correction, kept by the project rather than SameDiff's updater so that the
 * step, the gradient clipping before it and its state in checkpoints are all in our hands.
 *
 * <p>Why a hand-written loop: the same step as ND4J array ops allocates five temporaries per parameter and took
 * 0.1–0.3 s per step for the tiny model; one fused pass over Java arrays (moments kept on the heap, parameters
 * copied in and out of their native buffers in bulk) takes a few milliseconds. Parameters are updated in
 * parallel, each by one thread, so the result does not depend on the thread count.
 */
public final class AdamState {
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    /** Same as {@link #apply(Map, Map, double, TrainConfig, long, double)} with no gradient scaling. */
    public void apply(Map<String, INDArray> params, Map<String, INDArray> grads, double lr, TrainConfig cfg, long step) {
        apply(params, grads, lr, cfg, step, 1.0);
    }

    /**
     * Applies one Adam step in place: {@code p -= lr * mhat / (sqrt(vhat) + eps)} on the gradient times
     * {@code gradScale} (the clipping factor, so clipping costs no extra pass).
     *
     * @param step 1-based number of this step (for bias correction)
     */
    public void apply(Map<String, INDArray> params, Map<String, INDArray> grads, double lr, TrainConfig cfg, long step,
                      double gradScale) {
        float b1 = (float) cfg.beta1(), b2 = (float) cfg.beta2();
        double c1 = 1 - Math.pow(cfg.beta1(), step), c2 = 1 - Math.pow(cfg.beta2(), step);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        // eps is scaled like in PyTorch's Adam: added to sqrt(v) / sqrt(c2)
        float eps = (float) (cfg.eps() * Math.sqrt(c2));
        float scale = (float) gradScale;
        List<String> names = new ArrayList<>();
        for (String n : params.keySet()) {
            if (grads.get(n) != null) {
                INDArray p = params.get(n);
                shapes.putIfAbsent(n, p.shape().clone());
                m.computeIfAbsent(n, k -> new float[(int) p.length()]);
                v.computeIfAbsent(n, k -> new float[(int) p.length()]);
                names.add(n);
            }
        }
        names.parallelStream().forEach(n -> {
            INDArray p = params.get(n);
            // parameters and gradients are read and written in their native buffers: copying them to Java arrays
            // made 60 MB of short-lived garbage a small step
            FloatBuffer w = NdArrays.view(p);
            FloatBuffer g = NdArrays.view(grads.get(n));
            if (g.limit() != w.limit()) {
                throw new IllegalArgumentException(n + ": gradient has " + g.limit() + " values, parameter " + w.limit());
            }
            float[] mm = m.get(n), vv = v.get(n);
            for (int i = 0; i < mm.length; i++) {
                float gi = g.get(i) * scale;
                float mi = b1 * mm[i] + (1 - b1) * gi;
                float vi = b2 * vv[i] + (1 - b2) * gi * gi;
                mm[i] = mi;
                vv[i] = vi;
                w.put(i, w.get(i) - stepSize * mi / ((float) Math.sqrt(vi) + eps));
            }
            if (!NdArrays.isDense(p)) {
                NdArrays.write(p, w.array());     // view() gave a copy backed by a Java array
            }
        });
    }

    /** The state as named tensors ({@code adam.m.<name>}, {@code adam.v.<name>}) for checkpoints. */
    public ParameterMap export() {
        ParameterMap out = new ParameterMap();
        for (String n : m.keySet()) {
            out.put("adam.m." + n, shapes.get(n), m.get(n).clone());
            out.put("adam.v." + n, shapes.get(n), v.get(n).clone());
        }
        return out;
    }

    /** Restores the state written by {@link #export}. */
    public static AdamState restore(ParameterMap saved) {
        AdamState s = new AdamState();
        for (String key : saved.names()) {
            float[] a = saved.read(key);
            if (key.startsWith("adam.m.")) {
                s.m.put(key.substring(7), a);
                s.shapes.put(key.substring(7), saved.shape(key).clone());
            } else if (key.startsWith("adam.v.")) {
                s.v.put(key.substring(7), a);
            } else {
                throw new IllegalArgumentException("unknown optimizer state '" + key + "'");
            }
        }
        return s;
    }
}
