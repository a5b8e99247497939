package org.mtcompress.model;

import java.util.List;

/**
 * The model's parameters by stable name (e.g. {@code decoder.layers.2.self_attn.q_proj.weight}), seen as flat
 * float arrays in row-major order. Compressors read and write through this, so they work the same on a live
 * SameDiff model and on an in-memory copy.
 */
public interface NamedParameters {
    /** All parameter names, in a stable order. */
    List<String> names();

    /** Shape of one parameter (e.g. {@code [out, in]} for a weight matrix). */
    long[] shape(String name);

    /** A copy of the values of {@code name}, row-major. */
    float[] read(String name);

    /** Replaces the values of {@code name}; {@code values.length} must equal the element count. */
    void write(String name, float[] values);
}
