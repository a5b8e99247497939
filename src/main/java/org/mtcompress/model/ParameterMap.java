package org.mtcompress.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link NamedParameters} held in plain Java arrays: for tests, exports and offline compression. */
public final class ParameterMap implements NamedParameters {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    /** Adds a parameter (the array is copied). */
    public ParameterMap put(String name, long[] shape, float[] data) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " has " + n
                    + " elements but " + data.length + " values were given");
        }
        shapes.put(name, shape.clone());
        values.put(name, data.clone());
        return this;
    }

    /** A deep copy of any {@link NamedParameters}. */
    public static ParameterMap copyOf(NamedParameters params) {
        ParameterMap map = new ParameterMap();
        for (String name : params.names()) {
            map.put(name, params.shape(name), params.read(name));
        }
        return map;
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(values.keySet());
    }

    @Override
    public long[] shape(String name) {
        return require(shapes, name).clone();
    }

    @Override
    public float[] read(String name) {
        return require(values, name).clone();
    }

    @Override
    public void write(String name, float[] data) {
        float[] old = require(values, name);
        if (old.length != data.length) {
            throw new IllegalArgumentException(name + ": expected " + old.length + " values, got " + data.length);
        }
        System.arraycopy(data, 0, old, 0, data.length);
    }

    private static <T> T require(Map<String, T> map, String name) {
        T v = map.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return v;
    }
}
