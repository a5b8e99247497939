package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * State of a compressor that retrains with a straight-through estimator: per tensor, latent full-precision weights
 * and the values last written into the model. After an optimizer step the update it applied (weights now minus
 * weights written) is added to the latent weights ({@link #addUpdate}); the compressor then writes their
 * compressed form back ({@link #write}). Tensors are indexed in the order they were added.
 */
abstract class LatentWeightsState implements CompressionState {
    final List<String> names = new ArrayList<>();
    final List<long[]> shapes = new ArrayList<>();
    final List<float[]> latent = new ArrayList<>();
    final List<float[]> written = new ArrayList<>();

    /** Adds a tensor: its latent weights and the values in the model now (null until first written). */
    void addTensor(String name, long[] shape, float[] latentValues, float[] writtenValues) {
        names.add(name);
        shapes.add(shape);
        latent.add(latentValues);
        written.add(writtenValues);
    }

    /** Adds the optimizer's update of tensor {@code t} to its latent weights and returns them. */
    float[] addUpdate(NamedParameters params, int t) {
        float[] now = params.read(names.get(t));
        float[] last = written.get(t);
        float[] w = latent.get(t);
        for (int i = 0; i < w.length; i++) {
            w[i] += now[i] - last[i];
        }
        return w;
    }

    /** Writes {@code values} as tensor {@code t} into the model and remembers them as written. */
    void write(NamedParameters params, int t, float[] values) {
        written.set(t, values);
        params.write(names.get(t), values);
    }

    @Override
    public List<String> parameters() {
        return List.copyOf(names);
    }
}
