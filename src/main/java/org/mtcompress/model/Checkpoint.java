package org.mtcompress.model;

import com.fasterxml.jackson.core.type.TypeReference;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: the model's architecture, its parameters, the optimizer's state and where training
 * stood (step, epoch, batch within the epoch: together with the seed this is the whole random state, because
 * data order and dropout are drawn from seeds derived from them).
 *
 * <p>File layout ({@code .mtck}): the line {@code MTCK1}, a 4-byte big-endian header length, the header as
 * UTF-8 JSON (config, vocabulary, training position, tensor names and shapes), then every tensor's float32
 * values, little-endian, row-major, in header order: parameters first, then optimizer state.
 */
public record Checkpoint(ModelConfig model, Vocab vocab, Position position, ParameterMap parameters,
                         ParameterMap optimizer, Map<String, Object> extra) {
    private static final String MAGIC = "MTCK1\n";

    /**
     * Vocabulary facts the model depends on. {@code pieces} (by id) only with hash embeddings, whose vectors are
     * recomputed from them and the config's seed on load (the vectors themselves are never stored); null otherwise.
     */
    public record Vocab(int size, int pad, int bos, int eos, String contentHash, List<String> pieces) {
        public Vocab(int size, int pad, int bos, int eos, String contentHash) {
            this(size, pad, bos, eos, contentHash, null);
        }
    }

    /**
     * Where training stood: optimizer steps done, the epoch and the next batch within it, the root seed, and the
     * training seconds spent to reach this step over all attempts (so a time budget counts across resumes).
     */
    public record Position(long step, int epoch, int batchInEpoch, long seed, double trainSeconds) {
        public Position(long step, int epoch, int batchInEpoch, long seed) {
            this(step, epoch, batchInEpoch, seed, 0);
        }
    }

    /** The checkpoint of a live model. */
    public static Checkpoint of(Transformer m, String vocabHash, Position position, ParameterMap optimizer,
                                Map<String, Object> extra) {
        return new Checkpoint(m.config(), new Vocab(m.vocabSize(), m.padId(), m.bosId(), m.eosId(), vocabHash, m.pieces()),
                position, ParameterMap.copyOf(m.parameters()), optimizer == null ? new ParameterMap() : optimizer,
                extra == null ? Map.of() : extra);
    }

    /** A model with these parameters (its own arrays). */
    public Transformer toModel() {
        return Transformer.fromParameters(model, vocab.size(), vocab.pieces(), vocab.pad(), vocab.bos(), vocab.eos(),
                parameters);
    }

    /**
     * A model with these parameters, for a run whose config says {@code expected}: a checkpoint of another
     * architecture is refused with the fields that differ.
     */
    public Transformer toModel(ModelConfig expected) {
        List<String> diff = new ArrayList<>();
        for (java.lang.reflect.RecordComponent c : ModelConfig.class.getRecordComponents()) {
            try {
                Object a = c.getAccessor().invoke(model), b = c.getAccessor().invoke(expected);
                boolean hashSetting = c.getName().startsWith("hash") && !model.hashEmbedding() && !expected.hashEmbedding();
                if (!a.equals(b) && !c.getName().equals("dropout") && !hashSetting) {
                    diff.add(snake(c.getName()) + " " + a + " (checkpoint) vs " + b + " (config)");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!diff.isEmpty()) {
            throw new MtcException("checkpoint has a different architecture: " + String.join(", ", diff));
        }
        return toModel();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    public void save(Path file) {
        AtomicFiles.write(file, this::write);
    }

    /** Streams the checkpoint (used by {@link #save}). */
    private void write(OutputStream raw) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("model", model);
        header.put("vocab", vocab);
        header.put("position", position);
        header.put("extra", extra);
        header.put("parameters", tensorList(parameters));
        header.put("optimizer", tensorList(optimizer));
        byte[] h = Json.MAPPER.writeValueAsBytes(header);
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(h.length);
        out.write(h);
        for (ParameterMap map : List.of(parameters, optimizer)) {
            for (String n : map.names()) {
                float[] v = map.read(n);
                ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(v);
                out.write(bb.array());
            }
        }
        out.flush();
    }

    private static List<Map<String, Object>> tensorList(ParameterMap map) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : map.names()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", n);
            t.put("shape", map.shape(n));
            out.add(t);
        }
        return out;
    }

    /** Reads a checkpoint; a file that is not one gives a one-line error naming it. */
    public static Checkpoint load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MtcException("checkpoint not found: " + file);
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
            byte[] magic = in.readNBytes(MAGIC.length());
            if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                throw new MtcException(file + ": not an mtcompress checkpoint (bad magic)");
            }
            byte[] h = in.readNBytes(in.readInt());
            Map<String, Object> header = Json.MAPPER.readValue(h, new TypeReference<>() {
            });
            ModelConfig model = Json.MAPPER.convertValue(header.get("model"), ModelConfig.class);
            Vocab vocab = Json.MAPPER.convertValue(header.get("vocab"), Vocab.class);
            Position pos = Json.MAPPER.convertValue(header.get("position"), Position.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> extra = (Map<String, Object>) header.get("extra");
            ParameterMap params = readTensors(in, header.get("parameters"));
            ParameterMap opt = readTensors(in, header.get("optimizer"));
            return new Checkpoint(model, vocab, pos, params, opt, extra);
        } catch (IOException | IllegalArgumentException e) {
            throw new MtcException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    private static ParameterMap readTensors(DataInputStream in, Object list) throws IOException {
        ParameterMap map = new ParameterMap();
        List<Map<String, Object>> tensors = Json.MAPPER.convertValue(list, new TypeReference<>() {
        });
        for (Map<String, Object> t : tensors) {
            long[] shape = Json.MAPPER.convertValue(t.get("shape"), long[].class);
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            byte[] bytes = in.readNBytes(n * 4);
            if (bytes.length != n * 4) {
                throw new IOException("truncated at tensor " + t.get("name"));
            }
            float[] v = new float[n];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            map.put((String) t.get("name"), shape, v);
        }
        return map;
    }
}
