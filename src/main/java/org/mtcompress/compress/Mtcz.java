package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.MtcException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packed {@code .mtcz} model file: every parameter of a model, compressed ones in their stored form
 * (bit-packed indices, codebooks, masks), untouched ones as raw fp32. Its size is the {@link SizeReport}'s
 * stored bits plus a small header (names, shapes, lengths).
 *
 * <p>Layout (big-endian, {@link DataOutputStream}): magic {@code "MTCZ"}, {@code int version = 1};
 * {@code int} number of shared tables, each {@code UTF key, int length, floats}; {@code int} number of
 * parameters, each {@code UTF name, UTF kind, int rank, rank longs (shape)}, then the kind's payload
 * ({@link EncodedTensor#writePayload}).
 */
public final class Mtcz {
    private static final byte[] MAGIC = {'M', 'T', 'C', 'Z'};
    private static final int VERSION = 1;

    /** What a {@code .mtcz} file holds: the decoded parameters and their stored forms (untouched ones as raw). */
    public record Contents(ParameterMap params, Encoding encoding) {
    }

    private Mtcz() {
    }

    /** Writes every parameter of {@code params}; those in {@code encoding} in their stored form. */
    public static void write(Path file, NamedParameters params, Encoding encoding) {
        for (String name : encoding.tensors().keySet()) {
            if (!params.names().contains(name)) {
                throw new IllegalArgumentException("encoded parameter '" + name + "' is not in the model");
            }
        }
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(encoding.sharedTables().size());
            for (Map.Entry<String, float[]> e : encoding.sharedTables().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                FloatIo.writeFloats(out, e.getValue());
            }
            out.writeInt(params.names().size());
            for (String name : params.names()) {
                EncodedTensor t = encoding.tensors().get(name);
                if (t == null) {
                    t = new RawTensor(params.shape(name), params.read(name));
                }
                if (!Arrays.equals(t.shape(), params.shape(name))) {
                    throw new IllegalArgumentException(name + ": encoded shape " + Arrays.toString(t.shape())
                            + " differs from the model's " + Arrays.toString(params.shape(name)));
                }
                out.writeUTF(name);
                out.writeUTF(t.kind());
                out.writeInt(t.shape().length);
                for (long d : t.shape()) {
                    out.writeLong(d);
                }
                t.writePayload(out);
            }
            out.flush();
        });
    }

    /** Reads a file written by {@link #write}; a damaged or foreign file is a user error naming it. */
    public static Contents read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new MtcException(file + ": not an .mtcz file (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new MtcException(file + ": unsupported .mtcz version " + version + " (expected " + VERSION + ")");
            }
            Map<String, float[]> shared = new LinkedHashMap<>();
            int nShared = in.readInt();
            for (int i = 0; i < nShared; i++) {
                String key = in.readUTF();
                shared.put(key, FloatIo.readFloats(in, in.readInt()));
            }
            int n = in.readInt();
            ParameterMap params = new ParameterMap();
            Map<String, EncodedTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                String kind = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 16) {
                    throw new MtcException(file + ": parameter '" + name + "' has invalid rank " + rank);
                }
                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                }
                EncodedTensor t = Encodings.reader(kind).read(shape, in, shared);
                params.put(name, shape, t.decode());
                if (!RawTensor.KIND.equals(kind)) {
                    tensors.put(name, t);
                }
            }
            if (in.read() != -1) {
                throw new MtcException(file + ": trailing bytes after the last parameter");
            }
            return new Contents(params, new Encoding(tensors, shared));
        } catch (EOFException e) {
            throw new MtcException(file + ": truncated .mtcz file", e);
        } catch (IOException e) {
            throw new MtcException(file + ": cannot read .mtcz file: " + e.getMessage(), e);
        }
    }
}
