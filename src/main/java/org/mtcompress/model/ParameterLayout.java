package org.mtcompress.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mtcompress.config.ModelConfig;

/**
 * The names and shapes of a model's parameters, from its config alone ({@link ParamSpec#all}, the list the model
 * is built from), without values or a graph: what a compressor scope is resolved against, so a recipe can be
 * checked when an experiment is loaded, before any training.
 */
public final class ParameterLayout implements NamedParameters {
    /**
     * The vocabulary size used for the embedding and output shapes: it comes from the data, which a layout does not
     * read; scopes see only names and ranks, which do not depend on it.
     */
    public static final int PLACEHOLDER_VOCAB = 8;

    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private ParameterLayout(List<ParamSpec> specs) {
        specs.forEach(s -> shapes.put(s.name(), s.shape().clone()));
    }

    /** The layout of a model with config {@code cfg} and a vocabulary of {@code vocab} pieces. */
    public static ParameterLayout of(ModelConfig cfg, int vocab) {
        return new ParameterLayout(ParamSpec.all(cfg, vocab));
    }

    /** The layout of a model with config {@code cfg}, its vocabulary size a placeholder. */
    public static ParameterLayout of(ModelConfig cfg) {
        return of(cfg, PLACEHOLDER_VOCAB);
    }

    @Override
    public List<String> names() {
        return List.copyOf(shapes.keySet());
    }

    @Override
    public long[] shape(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return s.clone();
    }

    @Override
    public float[] read(String name) {
        throw new UnsupportedOperationException("a parameter layout has names and shapes, no values");
    }

    @Override
    public void write(String name, float[] values) {
        throw new UnsupportedOperationException("a parameter layout has names and shapes, no values");
    }
}
