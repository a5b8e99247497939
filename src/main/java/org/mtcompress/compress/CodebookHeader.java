package org.mtcompress.compress;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The leading part of a codebook tensor's payload, common to {@link CodebookTensor} and
 * {@link MaskedCodebookTensor}: {@code int bits}; then either {@code bool shared=false, int k, k floats} or
 * {@code bool shared=true, UTF key} (the table itself is stored once in the {@link Encoding}).
 *
 * @param indexBits bits per codebook index
 * @param codebook  the centroids (the shared table's when {@code sharedKey} is non-null)
 * @param sharedKey the shared table's key, or null for the tensor's own codebook
 */
record CodebookHeader(int indexBits, float[] codebook, String sharedKey) {

    void write(DataOutputStream out) throws IOException {
        out.writeInt(indexBits);
        out.writeBoolean(sharedKey != null);
        if (sharedKey == null) {
            out.writeInt(codebook.length);
            FloatIo.writeFloats(out, codebook);
        } else {
            out.writeUTF(sharedKey);
        }
    }

    static CodebookHeader read(DataInputStream in, Map<String, float[]> shared) throws IOException {
        int bits = in.readInt();
        if (!in.readBoolean()) {
            return new CodebookHeader(bits, FloatIo.readFloats(in, in.readInt()), null);
        }
        String key = in.readUTF();
        float[] codebook = shared.get(key);
        if (codebook == null) {
            throw new IOException("missing shared codebook '" + key + "'");
        }
        return new CodebookHeader(bits, codebook, key);
    }

    /** Fails when an index read from a file points outside the codebook. */
    void checkCodes(int[] codes) throws IOException {
        for (int c : codes) {
            if (c >= codebook.length) {
                throw new IOException("index " + c + " outside a codebook of " + codebook.length);
            }
        }
    }
}
