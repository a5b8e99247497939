package org.mtcompress.compress;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/** A tensor stored as plain fp32 values (untouched parameters). Payload: the floats, big-endian. */
public record RawTensor(long[] shape, float[] values) implements EncodedTensor {
    public static final String KIND = "raw";

    public RawTensor {
        if (FloatIo.elements(shape) != values.length) {
            throw new IllegalArgumentException("shape does not match " + values.length + " values");
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public float[] decode() {
        return values.clone();
    }

    @Override
    public StorageBits bits() {
        return StorageBits.raw(values.length);
    }

    @Override
    public void writePayload(DataOutputStream out) throws IOException {
        FloatIo.writeFloats(out, values);
    }

    static RawTensor read(long[] shape, DataInputStream in, Map<String, float[]> shared) throws IOException {
        return new RawTensor(shape, FloatIo.readFloats(in, Math.toIntExact(FloatIo.elements(shape))));
    }
}
