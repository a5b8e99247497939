package org.mtcompress.compress;

import org.mtcompress.util.MtcException;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Readers for each {@link EncodedTensor#kind()}, used when a {@code .mtcz} file is loaded. Add a new kind by one
 * {@code register} line in the static block; a duplicate kind is rejected.
 */
public final class Encodings {
    /** Reads one tensor's payload (as written by {@link EncodedTensor#writePayload}). */
    @FunctionalInterface
    public interface Reader {
        EncodedTensor read(long[] shape, DataInputStream in, Map<String, float[]> sharedTables) throws IOException;
    }

    private static final Map<String, Reader> READERS = new TreeMap<>();

    static {
        register(RawTensor.KIND, RawTensor::read);
        register(CodebookTensor.KIND, CodebookTensor::read);
        register(SparseTensor.KIND, SparseTensor::read);
        register(PackedIntTensor.KIND, PackedIntTensor::read);
        register(UniformTensor.KIND, UniformTensor::read);
        register(MaskedCodebookTensor.KIND, MaskedCodebookTensor::read);
    }

    private Encodings() {
    }

    public static synchronized void register(String kind, Reader reader) {
        if (READERS.putIfAbsent(kind, reader) != null) {
            throw new IllegalArgumentException("encoding kind '" + kind + "' is registered twice");
        }
    }

    public static synchronized Reader reader(String kind) {
        Reader r = READERS.get(kind);
        if (r == null) {
            throw new MtcException("unknown tensor encoding '" + kind + "' (known: " + String.join(", ", READERS.keySet()) + ")");
        }
        return r;
    }
}
