package org.mtcompress.compress;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The packed {@code .mtcz} model file: a complete model that {@code mtc translate} runs alone. It holds every
 * parameter (compressed ones in their stored form: bit-packed indices, codebooks, masks, scales; untouched ones as
 * raw fp32), the vocabulary (the SentencePiece model and piece list, verbatim), the model config, the compression
 * recipe and the provenance (source checkpoint's sha256, its run's config hash and commit, the commit that wrote
 * the file). Its size is the {@link SizeReport}'s stored bits plus the vocabulary plus a small header.
 *
 * <p>Layout, format version 2 (big-endian, {@link DataOutputStream}): magic {@code "MTCZ"}, {@code int version};
 * {@code int n} and {@code n} bytes of the header, UTF-8 JSON compressed with Deflate ({@link Header} plus the
 * tables of contents: {@code shared: [[key, length]]} and {@code tensors: [[name, kind, [shape]]]}, in file order);
 * the vocabulary's two files, each {@code int length, bytes}; every shared table's floats; every tensor's payload
 * ({@link EncodedTensor#writePayload}). Names and shapes live only in the compressed header, which keeps the
 * overhead under 1 % of the stored bits even for 1-bit models.
 */
public final class Mtcz {
    private static final byte[] MAGIC = {'M', 'T', 'C', 'Z'};
    /** The format version this code writes and reads; older files are refused (they lack vocabulary and config). */
    public static final int VERSION = 2;

    /**
     * Everything besides the parameters that makes a {@code .mtcz} a complete model.
     *
     * @param vocabModel  the SentencePiece model file's bytes ({@code spm.model})
     * @param vocabPieces the piece list file's bytes ({@code spm.vocab}; its sha256 is {@code vocab.contentHash})
     * @param recipe      the compression stages applied, in order (compressor settings and size summary each)
     * @param provenance  source checkpoint sha256, its config hash and commit, the commit that wrote this file
     */
    public record Header(ModelConfig model, Checkpoint.Vocab vocab, byte[] vocabModel, byte[] vocabPieces,
                         List<Map<String, Object>> recipe, Map<String, Object> provenance) {
        public Header {
            recipe = List.copyOf(recipe);
            provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        }

        /** The same header with one more compression stage in its recipe and new provenance. */
        public Header withStage(Map<String, Object> stage, Map<String, Object> newProvenance) {
            List<Map<String, Object>> r = new ArrayList<>(recipe);
            r.add(stage);
            return new Header(model, vocab, vocabModel, vocabPieces, r, newProvenance);
        }
    }

    /**
     * What a {@code .mtcz} file holds: its header and every parameter's stored form by name (untouched ones as
     * {@link RawTensor}), with the shared tables.
     */
    public record Contents(Header header, Map<String, EncodedTensor> stored, Map<String, float[]> sharedTables) {
        /** The decoded parameters (a dense fp32 copy of every tensor). */
        public ParameterMap params() {
            ParameterMap p = new ParameterMap();
            for (Map.Entry<String, EncodedTensor> e : stored.entrySet()) {
                p.put(e.getKey(), e.getValue().shape(), e.getValue().decode());
            }
            return p;
        }

        /** The compressed tensors' stored forms (raw ones left out) and the shared tables. */
        public Encoding encoding() {
            Map<String, EncodedTensor> t = new LinkedHashMap<>();
            stored.forEach((k, v) -> {
                if (!RawTensor.KIND.equals(v.kind())) {
                    t.put(k, v);
                }
            });
            return new Encoding(t, sharedTables);
        }

        /** A checkpoint of the decoded parameters (no optimizer state, position 0), the recipe in its extra. */
        public Checkpoint toCheckpoint() {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("compression_recipe", header.recipe());
            extra.put("mtcz_provenance", header.provenance());
            return new Checkpoint(header.model(), header.vocab(), new Checkpoint.Position(0, 0, 0, 0), params(),
                    new ParameterMap(), extra);
        }
    }

    /** Byte counts of a written file: the vocabulary is reported apart from the model's stored bits. */
    public record Written(long fileBytes, long vocabularyBytes, long headerBytes, long storedBytes) {
        /** Header (names, shapes, lengths, metadata) over the stored bytes, in percent. */
        public double headerPercent() {
            return storedBytes == 0 ? 0 : 100.0 * headerBytes / storedBytes;
        }
    }

    private Mtcz() {
    }

    /** Writes every parameter of {@code params}, those in {@code encoding} in their stored form. */
    public static Written write(Path file, Header header, NamedParameters params, Encoding encoding) {
        for (String name : encoding.tensors().keySet()) {
            if (!params.names().contains(name)) {
                throw new IllegalArgumentException("encoded parameter '" + name + "' is not in the model");
            }
        }
        List<EncodedTensor> tensors = new ArrayList<>();
        List<Object> toc = new ArrayList<>();
        for (String name : params.names()) {
            EncodedTensor t = encoding.tensors().get(name);
            if (t == null) {
                t = new RawTensor(params.shape(name), params.read(name));
            }
            if (!Arrays.equals(t.shape(), params.shape(name))) {
                throw new IllegalArgumentException(name + ": encoded shape " + Arrays.toString(t.shape())
                        + " differs from the model's " + Arrays.toString(params.shape(name)));
            }
            tensors.add(t);
            toc.add(List.of(name, t.kind(), t.shape()));
        }
        List<Object> shared = new ArrayList<>();
        encoding.sharedTables().forEach((k, v) -> shared.add(List.of(k, v.length)));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("model", header.model());
        meta.put("vocab", header.vocab());
        meta.put("recipe", header.recipe());
        meta.put("provenance", header.provenance());
        meta.put("shared", shared);
        meta.put("tensors", toc);
        byte[] compressedMeta = deflate(json(meta));
        long[] written = new long[1];
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(compressedMeta.length);
            out.write(compressedMeta);
            FloatIo.writeBytes(out, header.vocabModel());
            FloatIo.writeBytes(out, header.vocabPieces());
            for (float[] table : encoding.sharedTables().values()) {
                FloatIo.writeFloats(out, table);
            }
            for (EncodedTensor t : tensors) {
                t.writePayload(out);
            }
            out.flush();
            written[0] = out.size();
        });
        long stored = (SizeReport.of(params, encoding).storedBits() + 7) / 8;
        long vocabBytes = header.vocabModel().length + header.vocabPieces().length;
        return new Written(written[0], vocabBytes, written[0] - vocabBytes - stored, stored);
    }

    /** Reads a file written by {@link #write}; a damaged, foreign or old file is a one-line user error naming it. */
    public static Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MtcException("no such .mtcz file: " + file);
        }
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new MtcException(file + ": not an .mtcz file (bad magic)");
            }
            int version = in.readInt();
            if (version < VERSION) {
                throw new MtcException(file + ": .mtcz format version " + version + " is from an older mtcompress "
                        + "(no vocabulary, config or provenance inside); export it again from its .mtck checkpoint "
                        + "with 'mtc compress --export'");
            }
            if (version > VERSION) {
                throw new MtcException(file + ": .mtcz format version " + version + " is newer than this mtcompress "
                        + "reads (" + VERSION + ")");
            }
            Map<String, Object> meta = Json.MAPPER.readValue(inflate(FloatIo.readBytes(in)), new TypeReference<>() {
            });
            ModelConfig model = Json.MAPPER.convertValue(meta.get("model"), ModelConfig.class);
            Checkpoint.Vocab vocab = Json.MAPPER.convertValue(meta.get("vocab"), Checkpoint.Vocab.class);
            List<Map<String, Object>> recipe = Json.MAPPER.convertValue(meta.get("recipe"), new TypeReference<>() {
            });
            Map<String, Object> provenance = Json.MAPPER.convertValue(meta.get("provenance"), new TypeReference<>() {
            });
            List<List<Object>> shared = Json.MAPPER.convertValue(meta.get("shared"), new TypeReference<>() {
            });
            List<List<Object>> toc = Json.MAPPER.convertValue(meta.get("tensors"), new TypeReference<>() {
            });
            if (model == null || vocab == null || toc == null || shared == null) {
                throw new MtcException(file + ": .mtcz header lacks the model config, vocabulary or table of contents");
            }
            byte[] vocabModel = FloatIo.readBytes(in);
            byte[] vocabPieces = FloatIo.readBytes(in);
            Map<String, float[]> tables = new LinkedHashMap<>();
            for (List<Object> s : shared) {
                tables.put((String) s.get(0), FloatIo.readFloats(in, ((Number) s.get(1)).intValue()));
            }
            Map<String, EncodedTensor> stored = new LinkedHashMap<>();
            for (List<Object> entry : toc) {
                String name = (String) entry.get(0);
                String kind = (String) entry.get(1);
                long[] shape = Json.MAPPER.convertValue(entry.get(2), long[].class);
                if (shape.length > 16) {
                    throw new MtcException(file + ": parameter '" + name + "' has invalid rank " + shape.length);
                }
                stored.put(name, Encodings.reader(kind).read(shape, in, tables));
            }
            if (in.read() != -1) {
                throw new MtcException(file + ": trailing bytes after the last parameter");
            }
            Header header = new Header(model, vocab, vocabModel, vocabPieces, recipe == null ? List.of() : recipe,
                    provenance == null ? Map.of() : provenance);
            return new Contents(header, Collections.unmodifiableMap(stored), Collections.unmodifiableMap(tables));
        } catch (EOFException e) {
            throw new MtcException(file + ": truncated .mtcz file", e);
        } catch (IOException | IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
            throw new MtcException(file + ": cannot read .mtcz file: " + e.getMessage(), e);
        }
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the .mtcz header: " + e.getMessage(), e);
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            byte[] buf = new byte[1 << 14];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(byte[] data) throws IOException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4 + 64);
            byte[] buf = new byte[1 << 14];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IOException("damaged header (deflate stream ends early)");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("damaged header: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }
}
