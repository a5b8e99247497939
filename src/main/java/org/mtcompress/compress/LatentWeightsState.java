package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

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

    /** What a compressor does with one selected tensor when it compresses: add it to its state. */
    @FunctionalInterface
    interface TensorAdder {
        void add(String name, long[] shape, float[] values);
    }

    /** Hands every selected tensor (name, shape, values read from the model) to {@code adder}, in order. */
    void addEach(NamedParameters params, List<String> selected, TensorAdder adder) {
        for (String name : selected) {
            adder.add(name, params.shape(name), params.read(name));
        }
    }

    /** The encoding of every tensor, in the order added: {@code encoder} gives tensor {@code t}'s stored form. */
    Encoding encodeEach(IntFunction<EncodedTensor> encoder) {
        Map<String, EncodedTensor> out = new LinkedHashMap<>();
        for (int t = 0; t < names.size(); t++) {
            out.put(names.get(t), encoder.apply(t));
        }
        return Encoding.of(out);
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
