package org.mtcompress.compress;

import org.mtcompress.compress.embedding.ClippedUniformQuantizer;
import org.mtcompress.model.NamedParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Uniform quantization with automatic clipping per tensor, the Smallfry method ({@link ClippedUniformQuantizer}):
 * bits in {1, 2, 4, 8, 16, 32}; the threshold r is searched once, on the weights being compressed. A tensor with
 * at most 2^bits distinct values is kept as is (stored as a codebook of its values, or raw when that is
 * smaller).
 *
 * <p>Retraining uses a straight-through estimator: latent full-precision weights receive the optimizer's update
 * (weights now minus weights written after the previous step) and are re-rounded with the same r; a tensor kept
 * as is stays unconstrained until it has more than 2^bits distinct values, when its r is searched.
 */
public final class UniformClipCompressor implements Compressor {
    public static final String NAME = "uniform_clip";
    private static final Logger LOG = LoggerFactory.getLogger(UniformClipCompressor.class);

    private final UniformClipSpec spec;
    private final List<TensorReport> report = new ArrayList<>();

    /**
     * What the clipping search chose for one tensor: r and max|w|, and the mean squared error with r and with
     * no clipping (r = max|w|); both errors are 0 for a tensor kept as is.
     */
    public record TensorReport(String name, int bits, float clip, double maxAbs, double mse, double mseNoClip,
                               boolean keptAsIs) {
    }

    public UniformClipCompressor(UniformClipSpec spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The threshold chosen and the error with and without clipping, per tensor compressed so far. */
    public List<TensorReport> report() {
        return List.copyOf(report);
    }

    @Override
    public CompressionState compress(NamedParameters params, List<String> selected) {
        State state = new State();
        for (String name : selected) {
            float[] w = params.read(name);
            ClippedUniformQuantizer.Result r = ClippedUniformQuantizer.quantize(w, spec.bits(),
                    spec.quant().clipTolerance());
            state.add(name, params.shape(name), w, r.keptAsIs() ? null : r.clip(), r.values());
            params.write(name, r.values());
            TensorReport tr = new TensorReport(name, spec.bits(), r.clip(), r.maxAbs(), r.mse(), r.mseNoClip(),
                    r.keptAsIs());
            report.add(tr);
            LOG.info(String.format(java.util.Locale.ROOT,
                    "%s: %d bits, r = %.5g (%.1f%% of max|w| %.5g), mse %.4g (no clipping: %.4g)%s", name, spec.bits(),
                    r.clip(), 100 * r.clip() / Math.max(r.maxAbs(), 1e-30), r.maxAbs(), r.mse(), r.mseNoClip(),
                    r.keptAsIs() ? " [kept as is]" : ""));
        }
        return state;
    }

    private final class State extends LatentWeightsState {
        private final List<Float> clips = new ArrayList<>(); // null: kept as is

        void add(String name, long[] shape, float[] values, Float clip, float[] quantized) {
            addTensor(name, shape, values, quantized);
            clips.add(clip);
        }

        @Override
        public void afterStep(NamedParameters params, long step) {
            int bits = spec.bits();
            for (int t = 0; t < names.size(); t++) {
                float[] w = addUpdate(params, t);
                if (clips.get(t) == null && !ClippedUniformQuantizer.distinctAtMost(w, Math.scalb(1.0, bits))) {
                    clips.set(t, ClippedUniformQuantizer.searchClip(w, bits, spec.quant().clipTolerance()));
                }
                Float clip = clips.get(t);
                write(params, t, clip == null ? w.clone() : ClippedUniformQuantizer.apply(w, bits, clip));
            }
        }

        @Override
        public Encoding encode(NamedParameters params) {
            Map<String, EncodedTensor> tensors = new LinkedHashMap<>();
            for (int t = 0; t < names.size(); t++) {
                Float clip = clips.get(t);
                long[] shape = shapes.get(t);
                if (clip != null) {
                    tensors.put(names.get(t), new UniformTensor(shape, spec.bits(), clip,
                            ClippedUniformQuantizer.codes(latent.get(t), spec.bits(), clip)));
                } else {
                    tensors.put(names.get(t), keptAsIs(shape, written.get(t)));
                }
            }
            return Encoding.of(tensors);
        }

        /** A tensor with at most 2^bits distinct values: a codebook of them, or raw floats if smaller. */
        private EncodedTensor keptAsIs(long[] shape, float[] values) {
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            int k = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || Float.compare(sorted[i], sorted[k - 1]) != 0) {
                    sorted[k++] = sorted[i];
                }
            }
            float[] codebook = Arrays.copyOf(sorted, k);
            long n = values.length;
            if ((long) spec.bits() * n + 32L * k >= 32L * n) {
                return new RawTensor(shape, values.clone());
            }
            int[] codes = new int[values.length];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = Arrays.binarySearch(codebook, values[i]);
            }
            return new CodebookTensor(shape, spec.bits(), codebook, null, codes);
        }
    }
}
