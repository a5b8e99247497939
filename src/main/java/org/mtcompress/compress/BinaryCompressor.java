package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binarization with two fp32 centroids per tensor and latent full-precision weights (straight-through
 * estimator): the model sees only the two centroids; the optimizer's update (weights now − binarized weights
 * written after the previous step) is added to the latent weights; each latent weight is then assigned to the
 * nearer centroid (threshold = their midpoint).
 *
 * <ul>
 *   <li>{@code bsflex}: after the reassignment each centroid becomes the mean of its members' latent weights,
 *   so weights may switch cluster and the centroids follow.</li>
 *   <li>{@code binary_fixed}: the centroids come from a 2-means once and never move.</li>
 * </ul>
 */
public final class BinaryCompressor implements Compressor {
    public static final String BS_FLEX = "bsflex";
    public static final String FIXED = "binary_fixed";

    private final boolean flexible;
    private final BinarySpec spec;

    public BinaryCompressor(BinarySpec spec, boolean flexible) {
        this.flexible = flexible;
        this.spec = spec;
    }

    @Override
    public String name() {
        return flexible ? BS_FLEX : FIXED;
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        State state = new State(flexible);
        for (String name : selected) {
            float[] w = params.read(name);
            // 2-means: exact when affordable, else histogram DP + Lloyd (kmeans settings, algorithm auto by default)
            float[] c = KMeans1D.fit(w, 2, spec.kmeans(), spec.seed());
            float c0 = c[0];
            float c1 = c.length > 1 ? c[1] : c[0];
            byte[] codes = new byte[w.length];
            float[] out = new float[w.length];
            BinaryKernels.assign(w, c0, c1, codes, out);
            params.write(name, out);
            state.tensors.add(new Tensor(name, params.shape(name), w, codes, new float[] {c0, c1}));
        }
        return state;
    }

    /** Latent weights, current codes and centroids; the weights last written are {@code codes ? c1 : c0}. */
    private record Tensor(String name, long[] shape, float[] latent, byte[] codes, float[] centroids) {
    }

    private static final class State implements CompressionState {
        private final boolean flexible;
        private final List<Tensor> tensors = new ArrayList<>();

        State(boolean flexible) {
            this.flexible = flexible;
        }

        @Override
        public void afterStep(NamedParameters params, long step) {
            for (Tensor t : tensors) {
                float[] now = params.read(t.name());
                float[] c = t.centroids();
                // the binarized weights overwrite 'now' once it has been read
                if (flexible) {
                    BinaryKernels.flexStep(t.latent(), now, t.codes(), c, now);
                } else {
                    BinaryKernels.fixedStep(t.latent(), now, t.codes(), c[0], c[1], now);
                }
                params.write(t.name(), now);
            }
        }

        @Override
        public List<String> parameters() {
            return tensors.stream().map(Tensor::name).toList();
        }

        @Override
        public Encoding encode(NamedParameters params) {
            Map<String, EncodedTensor> out = new LinkedHashMap<>();
            for (Tensor t : tensors) {
                int[] codes = new int[t.codes().length];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = t.codes()[i];
                }
                out.put(t.name(), new CodebookTensor(t.shape(), 1, t.centroids().clone(), null, codes));
            }
            return Encoding.of(out);
        }
    }
}
