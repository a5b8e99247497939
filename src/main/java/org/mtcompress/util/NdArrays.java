package org.mtcompress.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * Bulk copies between float ND4J arrays and Java arrays. ND4J's own {@code data().asFloat()} copies element by
 * element through an indexer (about 5 ns a value: 10 ms per decoding step on the tiny model's [128, 8000]
 * log-probabilities); a dense buffer is copied here in one NIO transfer instead.
 */
public final class NdArrays {
    private NdArrays() {
    }

    /** The values of {@code a} in c order. */
    public static float[] read(INDArray a) {
        if (isDense(a)) {
            float[] out = new float[Math.toIntExact(a.length())];
            FloatBuffer fb = a.data().asNioFloat();
            fb.position(Math.toIntExact(a.offset()));
            fb.get(out);
            return out;
        }
        return read(a.castTo(DataType.FLOAT).dup('c'));
    }

    /** Writes c-ordered {@code values} into {@code a} in place. */
    public static void write(INDArray a, float[] values) {
        if (values.length != a.length()) {
            throw new IllegalArgumentException("expected " + a.length() + " values, got " + values.length);
        }
        if (isDense(a)) {
            FloatBuffer fb = a.data().asNioFloat();
            fb.position(Math.toIntExact(a.offset()));
            fb.put(values);
        } else {
            a.assign(Nd4j.create(values, a.shape(), 'c'));
        }
    }

    /**
     * A view of the values of {@code a} in c order, without copying (index 0 is the first value), or a copy when
     * {@code a} is not a dense float array. Writes to the view change {@code a} only when {@code a} is dense.
     */
    public static FloatBuffer view(INDArray a) {
        if (isDense(a)) {
            return a.data().asNioFloat().slice(Math.toIntExact(a.offset()), Math.toIntExact(a.length()));
        }
        return FloatBuffer.wrap(read(a));
    }

    /** Whether {@link #view} of {@code a} writes through to {@code a}. */
    public static boolean isDense(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && (a.elementWiseStride() == 1 || a.length() <= 1)
                && a.data().length() >= a.offset() + a.length();
    }
}
