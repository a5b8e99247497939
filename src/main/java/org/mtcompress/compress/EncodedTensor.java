package org.mtcompress.compress;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The stored form of one tensor: it decodes to exactly the float values the model uses, knows how many bits it
 * needs ({@link #bits()}, the one source for {@link SizeReport}), and writes its payload into a {@code .mtcz}
 * file. Each kind has a reader registered in {@link Encodings}; {@code read(write(x))} must decode to the same
 * floats bit for bit, and the bytes written must be {@code ceil(bits().total() / 8)} plus a few header bytes.
 */
public interface EncodedTensor {
    /** The tag written to the file, naming the reader in {@link Encodings} (e.g. {@code codebook}). */
    String kind();

    /** Shape of the tensor (row-major). */
    long[] shape();

    /** The values, row-major, exactly as the compressed model uses them. */
    float[] decode();

    /** Storage needed by this tensor alone; a shared table ({@link #sharedTable()}) is counted once elsewhere. */
    StorageBits bits();

    /** Key of a table (codebook) shared with other tensors and stored once in {@link Encoding}, or null. */
    default String sharedTable() {
        return null;
    }

    /** Writes the payload (not the name, kind or shape: the container writes those). */
    void writePayload(DataOutputStream out) throws IOException;
}
