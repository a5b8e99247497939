package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.List;

/**
 * Trained ternary quantization (Zhu, Han, Mao and Dally, ICLR 2017): each tensor holds only the values
 * {@code -b}, {@code 0} and {@code +a}. Latent full-precision weights {@code w} are kept; with the threshold
 * {@code d = t * max|w|}, weights above {@code d} take {@code +a}, weights below {@code -d} take {@code -b}, the
 * rest 0. At compression {@code a} and {@code b} are the mean magnitudes of their members (the least-squares
 * values for that assignment).
 *
 * <p>Retraining trains {@code a} and {@code b}: after each optimizer step the update it applied to every weight
 * (weights now minus the ternary weights written) is read; {@code a} moves by the mean update of its members and
 * {@code b} by minus the mean update of its members, the latent weights take the whole update (straight-through
 * estimator), and the threshold and assignment are recomputed from them. The paper's gradient of {@code a} is the
 * sum over its members and it scales the latent gradient by {@code a} or {@code b}; both assume plain SGD: with
 * Adam every weight moves by about the learning rate, so the sum over a tensor's members would throw {@code a}
 * far off (as it did for k-means centroids, see {@link KMeansCompressor}), and scaling an update Adam has already
 * normalised changes nothing but its size.
 *
 * <p>Stored as a {@link CodebookTensor}: 2-bit codes (0 = -b, 1 = 0, 2 = +a) and the three fp32 values.
 */
public final class TernaryCompressor implements Compressor {
    public static final String NAME = "ternary";
    static final int BITS = 2;
    private static final int NEG = 0;
    private static final int ZERO = 1;
    private static final int POS = 2;

    private final TernarySpec spec;

    public TernaryCompressor(TernarySpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        State state = new State(spec.threshold());
        state.addEach(params, selected, (name, shape, w) -> {
            int[] codes = new int[w.length];
            state.assign(w, codes);
            double pos = 0;
            double neg = 0;
            long np = 0;
            long nn = 0;
            for (int i = 0; i < w.length; i++) {
                if (codes[i] == POS) {
                    pos += w[i];
                    np++;
                } else if (codes[i] == NEG) {
                    neg -= w[i];
                    nn++;
                }
            }
            float[] values = {nn == 0 ? 0f : (float) (neg / nn), 0f, np == 0 ? 0f : (float) (pos / np)};
            state.addTensor(name, shape, w, null);
            state.codes.add(codes);
            state.scales.add(values);
            state.write(params, state.names.size() - 1, ternary(codes, values));
        });
        return state;
    }

    private static float[] ternary(int[] codes, float[] values) {
        float[] out = new float[codes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = codes[i] == NEG ? -values[0] : codes[i] == POS ? values[2] : 0f;
        }
        return out;
    }

    /** Per tensor: latent weights, codes, and {b, 0, a} (b stored as a magnitude). */
    private static final class State extends LatentWeightsState {
        private final double threshold;
        private final List<int[]> codes = new java.util.ArrayList<>();
        private final List<float[]> scales = new java.util.ArrayList<>();

        State(double threshold) {
            this.threshold = threshold;
        }

        /** Codes of {@code w} under the threshold {@code t * max|w|}. */
        void assign(float[] w, int[] out) {
            float max = 0;
            for (float x : w) {
                max = Math.max(max, Math.abs(x));
            }
            float d = (float) (threshold * max);
            for (int i = 0; i < w.length; i++) {
                out[i] = w[i] > d ? POS : w[i] < -d ? NEG : ZERO;
            }
        }

        @Override
        public void afterStep(NamedParameters params, long step) {
            for (int t = 0; t < names.size(); t++) {
                float[] now = params.read(names.get(t));
                float[] last = written.get(t);
                int[] c = codes.get(t);
                float[] v = scales.get(t);
                double dPos = 0;
                double dNeg = 0;
                long np = 0;
                long nn = 0;
                for (int i = 0; i < c.length; i++) {
                    double u = (double) now[i] - last[i];
                    if (c[i] == POS) {
                        dPos += u;
                        np++;
                    } else if (c[i] == NEG) {
                        dNeg += u;
                        nn++;
                    }
                }
                if (np > 0) {
                    v[2] = (float) (v[2] + dPos / np);
                }
                if (nn > 0) {
                    v[0] = (float) (v[0] - dNeg / nn);
                }
                float[] w = addUpdate(params, t);
                assign(w, c);
                write(params, t, ternary(c, v));
            }
        }

        @Override
        public Encoding encode(NamedParameters params) {
            return encodeEach(t -> new CodebookTensor(shapes.get(t), BITS,
                    new float[] {-scales.get(t)[0], 0f, scales.get(t)[2]}, null, codes.get(t).clone()));
        }
    }
}
