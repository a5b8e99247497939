package org.mtcompress.model;

import org.mtcompress.util.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link NamedParameters} over a model's live arrays: writes take effect in the next forward pass. */
final class LiveParameters implements NamedParameters {
    private final Map<String, INDArray> arrays;

    LiveParameters(Map<String, INDArray> arrays) {
        this.arrays = arrays;
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(arrays.keySet());
    }

    @Override
    public long[] shape(String name) {
        return get(name).shape().clone();
    }

    @Override
    public float[] read(String name) {
        return NdArrays.read(get(name));
    }

    @Override
    public void write(String name, float[] values) {
        INDArray a = get(name);
        if (values.length != a.length()) {
            throw new IllegalArgumentException(name + ": expected " + a.length() + " values, got " + values.length);
        }
        a.assign(Nd4j.create(values, a.shape(), 'c'));
    }

    private INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return a;
    }
}
