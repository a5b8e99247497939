package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.util.NdArrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The encoder-decoder Transformer as SameDiff graphs over one set of named parameter arrays.
 *
 * <p>Why several graphs: SameDiff in 1.0.0-M2.1 has no train/eval switch for dropout and cannot feed an
 * intermediate variable, so the model keeps a training graph (loss, with dropout), an evaluation graph (loss
 * without dropout), an encoder graph and a one-step decoder graph with a key/value cache. All four are built over
 * the same {@link INDArray} objects, so an in-place write to a parameter is seen by every graph.
 *
 * <p>Workarounds for M2.1 (see the shared notes): embedding rows are looked up outside the graph and their
 * gradient scattered back by hand (gather has no usable gradient), attention is built from rank-4 matmuls, and
 * shapes that depend on the batch are computed in the graph from the id placeholders so one graph serves every
 * batch shape. For speed, linear layers, layer norm and the loss are ops of ours with hand-written derivatives
 * ({@link LinearOp}, {@link LayerNormOp}, {@link SoftmaxCrossEntropy}), and a training step's arrays are freed early
 * ({@link EagerRelease}) into a pool the next step allocates from ({@link ArrayPool}).
 */
public final class Transformer {
    /** Placeholder and output names. */
    public static final String SRC = "src_ids", TGT_IN = "tgt_in_ids", LABELS = "labels", TGT_MASK = "tgt_mask",
            SRC_BIAS = "src_bias", CAUSAL = "causal_bias", SRC_POS = "src_pos", TGT_POS = "tgt_pos",
            TEACHER_PROBS = "teacher_probs", LOGITS = "logits",
            SRC_EMB = "src_emb", TGT_EMB = "tgt_emb", LOSS = "loss", NLL = "nll", LOG_PROBS = "log_probs",
            SENTENCE = "sentence", PARENT = "parent", SELF_BIAS = "self_bias";
    private static final float NEG = -1e9f;

    static {
        // SameDiff M2.1 keeps released op outputs in a cache of up to a quarter of the off-heap limit (2 GB under
        // ./mtc) to reuse arrays of equal shape; decoding grows shapes by one position each step, so the cache
        // only fills: translating the test set took 3.5 GB RSS and 37 s with it, 1.2 GB and 26 s without.
        // The property's (misleading) name is ND4JSystemProperties.SAMEDIFF_MEMORY_CACHE_DISABLE; "false" turns
        // the cache off. Set once, before any graph runs, unless the user chose otherwise.
        if (System.getProperty("org.nd4j.autodiff.samediff") == null) {
            System.setProperty("org.nd4j.autodiff.samediff", "false");
        }
    }

    private final ModelConfig cfg;
    private final int vocab;
    private final int padId, bosId, eosId;
    private final LinkedHashMap<String, INDArray> params;
    private final float[][] positions;
    private SameDiff train, eval, encode, step;
    /** Reuses the memory of a training step's dead arrays in the next ones (see {@link ArrayPool}). */
    private final ArrayPool pool = new ArrayPool(256L << 20);
    /** Returns a training step's intermediate arrays to the pool as soon as they are dead (see {@link EagerRelease}). */
    private final EagerRelease release = new EagerRelease(pool);
    private long releasedBytes;
    /** Dropout sites of the training graph in build order: true = over source rows, false = target rows. */
    private final List<Boolean> dropSites = new ArrayList<>();

    /** The vocabulary's pieces by id, kept only with hash embeddings (null otherwise). */
    private final List<String> pieces;
    /** Hash embeddings: the fixed [V, hash_dim] vectors of the pieces, row-major (null for a dense table). */
    private final float[] hashVectors;

    private Transformer(ModelConfig cfg, int vocab, int padId, int bosId, int eosId, LinkedHashMap<String, INDArray> params,
                        List<String> pieces) {
        this.cfg = cfg;
        this.vocab = vocab;
        this.padId = padId;
        this.bosId = bosId;
        this.eosId = eosId;
        this.params = params;
        this.positions = sinusoids(cfg.maxLength() + 64, cfg.dModel());
        if (cfg.hashEmbedding()) {
            if (pieces == null) {
                throw new IllegalArgumentException("embedding: hash computes each token's vector from its piece: "
                        + "build the model with the vocabulary's pieces");
            }
            if (pieces.size() != vocab) {
                throw new IllegalArgumentException("got " + pieces.size() + " pieces for a vocabulary of " + vocab);
            }
            this.pieces = List.copyOf(pieces);
            HashEmbeddings h = new HashEmbeddings(cfg.hashDim(), cfg.hashSeed());
            this.hashVectors = new float[Math.multiplyExact(vocab, cfg.hashDim())];
            for (int id = 0; id < vocab; id++) {
                h.vector(this.pieces.get(id), hashVectors, id * cfg.hashDim());
            }
        } else {
            this.pieces = null;
            this.hashVectors = null;
        }
    }

    /** A freshly initialized model; the same seed gives the same weights. Not for {@code embedding: hash}. */
    public static Transformer create(ModelConfig cfg, int vocabSize, int padId, int bosId, int eosId, long seed) {
        return create(cfg, vocabSize, null, padId, bosId, eosId, seed);
    }

    /**
     * A freshly initialized model over a vocabulary whose pieces (by id) are {@code pieces}: any embedding kind
     * ({@code embedding: hash} needs them; a dense table ignores them).
     */
    public static Transformer create(ModelConfig cfg, List<String> pieces, int padId, int bosId, int eosId, long seed) {
        return create(cfg, pieces.size(), pieces, padId, bosId, eosId, seed);
    }

    private static Transformer create(ModelConfig cfg, int vocabSize, List<String> pieces, int padId, int bosId, int eosId,
                                      long seed) {
        if (vocabSize < 4) {
            throw new IllegalArgumentException("vocabulary size must be >= 4, got " + vocabSize);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        LinkedHashMap<String, INDArray> p = new LinkedHashMap<>();
        for (ParamSpec s : ParamSpec.all(cfg, vocabSize)) {
            p.put(s.name(), Nd4j.create(s.init(rng), s.shape(), 'c'));
        }
        return new Transformer(cfg, vocabSize, padId, bosId, eosId, p, pieces);
    }

    /** A model over given parameter values (a checkpoint); names and shapes must match the architecture. */
    public static Transformer fromParameters(ModelConfig cfg, int vocabSize, int padId, int bosId, int eosId, NamedParameters values) {
        return fromParameters(cfg, vocabSize, null, padId, bosId, eosId, values);
    }

    /**
     * A model over given parameter values and the vocabulary's pieces ({@code null} unless {@code embedding: hash});
     * names and shapes must match the architecture.
     */
    public static Transformer fromParameters(ModelConfig cfg, int vocabSize, List<String> pieces, int padId, int bosId,
                                             int eosId, NamedParameters values) {
        LinkedHashMap<String, INDArray> p = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ParamSpec s : ParamSpec.all(cfg, vocabSize)) {
            if (!values.names().contains(s.name())) {
                problems.add("missing " + s.name());
                continue;
            }
            long[] have = values.shape(s.name());
            if (!java.util.Arrays.equals(have, s.shape())) {
                problems.add(s.name() + " has shape " + java.util.Arrays.toString(have) + ", architecture wants "
                        + java.util.Arrays.toString(s.shape()));
                continue;
            }
            p.put(s.name(), Nd4j.create(values.read(s.name()), s.shape(), 'c'));
        }
        for (String n : values.names()) {
            if (!p.containsKey(n) && problems.stream().noneMatch(x -> x.contains(n))) {
                problems.add("unexpected " + n);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("parameters do not fit this architecture: " + problems.size()
                    + " problem(s), first: " + String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
        }
        return new Transformer(cfg, vocabSize, padId, bosId, eosId, p, pieces);
    }

    public ModelConfig config() {
        return cfg;
    }

    public int vocabSize() {
        return vocab;
    }

    /** The vocabulary's pieces by id when the model has hash embeddings (checkpoints store them), else null. */
    public List<String> pieces() {
        return pieces;
    }

    public int padId() {
        return padId;
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    /** The live parameters: writes take effect in the next forward pass of every graph. */
    public NamedParameters parameters() {
        return new LiveParameters(params);
    }

    /** The live arrays by name (the training loop updates them in place). */
    public Map<String, INDArray> arrays() {
        return Collections.unmodifiableMap(params);
    }

    private Distillation distillation = Distillation.NONE;

    /**
     * Trains from now on with {@code d}'s loss: the training graph then takes the teacher's distribution as the
     * placeholder {@link #TEACHER_PROBS} ({@link #gradients(Batch, double, long, INDArray)}); rebuilt when changed.
     */
    public void distill(Distillation d) {
        if (!d.equals(distillation)) {
            releaseTrainingMemory();
            distillation = d;
        }
    }

    /** True when the training graph has the distillation term (any setting but NONE, alpha = 0 included). */
    private boolean distills() {
        return !distillation.equals(Distillation.NONE);
    }

    /** The distillation the training graph uses ({@link Distillation#NONE} by default). */
    public Distillation distillation() {
        return distillation;
    }

    /**
     * This model as a teacher: {@code softmax(logits / temperature)} per target position of {@code batch}, [rows x
     * target length, vocabulary], in the order of the training graph's labels (evaluation graph, no dropout).
     */
    public INDArray softTargets(Batch batch, double temperature) {
        SameDiff sd = evalGraph(0);
        INDArray logits = sd.output(trainFeed(batch), LOGITS).get(LOGITS);
        dropSessions(sd);
        return org.nd4j.linalg.ops.transforms.Transforms.softmax(logits.divi(temperature), false);
    }

    /** The training graph (label-smoothed loss, dropout on); built once. */
    public SameDiff trainGraph(double labelSmoothing) {
        if (train == null) {
            SameDiff sd = build(Mode.TRAIN, labelSmoothing);
            org.mtcompress.util.StdoutFilter.dropping("Added differentiated op", sd::createGradFunction);
            sd.addListeners(release);
            train = sd;
        }
        return train;
    }

    /** Times every op of the training steps from now on into {@code profile} (see {@link StepProfile}). */
    public void profile(StepProfile profile, double labelSmoothing) {
        SameDiff sd = trainGraph(labelSmoothing);
        profile.forwardOps(sd.getOps().keySet());
        sd.addListeners(profile);
    }

    /** The evaluation graph (no dropout): outputs {@link #LOSS} (label-smoothed) and {@link #NLL}. */
    public SameDiff evalGraph(double labelSmoothing) {
        if (eval == null) {
            eval = build(Mode.EVAL, labelSmoothing);
        }
        return eval;
    }

    private SameDiff encodeGraph() {
        if (encode == null) {
            encode = build(Mode.ENCODE, 0);
        }
        return encode;
    }

    private SameDiff stepGraph() {
        if (step == null) {
            step = build(Mode.STEP, 0);
        }
        return step;
    }

    // ---------------------------------------------------------------- incremental decoding

    private static String crossKeys(int layer) {
        return "cross_keys_" + layer;
    }

    private static String crossValues(int layer) {
        return "cross_values_" + layer;
    }

    private static String pastKeys(int layer) {
        return "past_keys_" + layer;
    }

    private static String pastValues(int layer) {
        return "past_values_" + layer;
    }

    private static String keys(int layer) {
        return "keys_" + layer;
    }

    private static String values(int layer) {
        return "values_" + layer;
    }

    /**
     * What the decoder needs from the encoder for one batch of sources: the padding bias and, per decoder layer,
     * the cross-attention keys [B, H, dk, S] and values [B, H, S, dk] (computed once, not at every step).
     */
    public record Encoded(Map<String, INDArray> arrays) {
    }

    /**
     * The self-attention keys and values of every decoder layer for the tokens decoded so far, one row per
     * hypothesis. Slot 0 is a masked dummy so the first step concatenates onto a non-empty array.
     */
    public record DecoderCache(int length, Map<String, INDArray> arrays) {
    }

    /** One decoding step: next-token log-probabilities [rows * V] and the grown cache. */
    public record Step(float[] logProbs, DecoderCache cache) {
    }

    /** Runs the encoder over padded sources [B, S] (EOS included) and projects its output for cross-attention. */
    public Encoded encode(int[][] src) {
        checkLength(src[0].length, "source");
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(SRC, ids(src));
        feed.put(SRC_BIAS, paddingBias(src));
        feed.put(SRC_POS, positionRows(src.length, src[0].length));
        feed.put(SRC_EMB, embedRows(src));
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < cfg.decoderLayers(); i++) {
            outs.add(crossKeys(i));
            outs.add(crossValues(i));
        }
        Map<String, INDArray> arrays = new HashMap<>(encodeGraph().output(feed, outs));
        arrays.put(SRC_BIAS, feed.get(SRC_BIAS));
        return new Encoded(arrays);
    }

    /** The cache before the first step: the dummy slot for each of {@code rows} rows. */
    public DecoderCache emptyCache(int rows) {
        int heads = cfg.heads(), dk = cfg.dModel() / cfg.heads();
        Map<String, INDArray> a = new HashMap<>();
        for (int i = 0; i < cfg.decoderLayers(); i++) {
            a.put(keys(i), Nd4j.zeros(DataType.FLOAT, rows, heads, dk, 1));
            a.put(values(i), Nd4j.zeros(DataType.FLOAT, rows, heads, 1, dk));
        }
        return new DecoderCache(1, a);
    }

    /**
     * Decodes one position for every row: row r continues the hypothesis whose cache is row {@code parent[r]}
     * of {@code cache}, translates sentence {@code sentence[r]} of {@code enc}, and feeds {@code lastToken[r]}
     * at position {@code cache.length() - 1}.
     */
    public Step step(Encoded enc, DecoderCache cache, int[] sentence, int[] parent, int[] lastToken) {
        int rows = sentence.length, pos = cache.length() - 1;
        checkLength(pos + 1, "target");
        int[][] tok = new int[rows][1];
        for (int r = 0; r < rows; r++) {
            tok[r][0] = lastToken[r];
        }
        float[] bias = new float[cache.length() + 1];
        bias[0] = NEG;
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(SRC_BIAS, enc.arrays().get(SRC_BIAS));
        feed.put(SENTENCE, Nd4j.createFromArray(sentence));
        feed.put(PARENT, Nd4j.createFromArray(parent));
        feed.put(SELF_BIAS, Nd4j.create(bias, new long[]{1, 1, 1, bias.length}, 'c'));
        feed.put(TGT_EMB, embedRows(tok));
        feed.put(TGT_POS, positionRows(rows, pos, 1));
        List<String> outs = new ArrayList<>(List.of(LOG_PROBS));
        for (int i = 0; i < cfg.decoderLayers(); i++) {
            feed.put(crossKeys(i), enc.arrays().get(crossKeys(i)));
            feed.put(crossValues(i), enc.arrays().get(crossValues(i)));
            feed.put(pastKeys(i), cache.arrays().get(keys(i)));
            feed.put(pastValues(i), cache.arrays().get(values(i)));
            outs.add(keys(i));
            outs.add(values(i));
        }
        Map<String, INDArray> out = stepGraph().output(feed, outs);
        Map<String, INDArray> grown = new HashMap<>();
        for (int i = 0; i < cfg.decoderLayers(); i++) {
            grown.put(keys(i), out.get(keys(i)));
            grown.put(values(i), out.get(values(i)));
        }
        float[] logp = NdArrays.read(out.get(LOG_PROBS));
        return new Step(logp, new DecoderCache(cache.length() + 1, grown));
    }

    // ---------------------------------------------------------------- feeds

    /** Placeholders for a training or evaluation batch. */
    public Map<String, INDArray> trainFeed(Batch batch) {
        return feed(batch).placeholders();
    }

    /** The placeholders of one batch plus the ids whose embedding rows were looked up. */
    public record Feed(Map<String, INDArray> placeholders, int[][] source, int[][] targetIn) {
    }

    /** The loss and the gradient of every parameter for one batch (training graph). */
    public record LossAndGradients(double loss, Map<String, INDArray> gradients) {
    }

    /**
     * Runs the training graph forward and backward on {@code batch}. The embedding table's gradient combines the
     * in-graph part (tied output projection) with the rows scattered back from the two looked-up inputs.
     */
    public LossAndGradients gradients(Batch batch, double labelSmoothing, long dropoutSeed) {
        return gradients(batch, labelSmoothing, dropoutSeed, null);
    }

    /**
     * {@link #gradients(Batch, double, long)} with the teacher's distribution {@code teacherProbs} (from the
     * teacher's {@link #softTargets} on the same batch) for the {@link #distill distillation} loss; null without.
     */
    public LossAndGradients gradients(Batch batch, double labelSmoothing, long dropoutSeed, INDArray teacherProbs) {
        if (distills() == (teacherProbs == null)) {
            throw new IllegalArgumentException(distills() ? "distillation needs the teacher's distribution"
                    : "a teacher's distribution was given but this model does not distill");
        }
        SameDiff sd = trainGraph(labelSmoothing);
        Feed f = feed(batch);
        if (teacherProbs != null) {
            f.placeholders().put(TEACHER_PROBS, teacherProbs);
        }
        f.placeholders().putAll(dropoutMasks(batch, dropoutSeed));
        List<String> wanted = new ArrayList<>();
        for (String n : params.keySet()) {
            if (!n.equals(ParamSpec.EMBED) || cfg.tiedEmbeddings()) {
                wanted.add(n);
            }
        }
        wanted.add(SRC_EMB);
        wanted.add(TGT_EMB);
        Map<String, INDArray> ph = new HashMap<>(f.placeholders());
        sd.associateArrayWithVariable(ph.remove(SRC_EMB), SRC_EMB);
        sd.associateArrayWithVariable(ph.remove(TGT_EMB), TGT_EMB);
        List<String> keep = new ArrayList<>(List.of(LOSS));
        for (String n : wanted) {
            keep.add(sd.getVariable(n).gradient().name());
        }
        List<INDArray> pin = new ArrayList<>(params.values());
        pin.addAll(f.placeholders().values());
        release.begin(keep, pin);
        usePool(sd);
        usePool(sd.getFunction("grad"));
        org.nd4j.autodiff.samediff.api.OutAndGrad og;
        try {
            og = sd.calculateGradientsAndOutputs(ph, List.of(LOSS), wanted);
        } finally {
            releasedBytes = release.end();
            pool.endStep();
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String n : params.keySet()) {
            if (n.equals(ParamSpec.EMBED)) {
                float[] table = cfg.tiedEmbeddings() ? NdArrays.read(og.getGradients().get(n))
                        : new float[(int) params.get(n).length()];
                scatterAdd(f.source(), og.getGradients().get(SRC_EMB), table);
                scatterAdd(f.targetIn(), og.getGradients().get(TGT_EMB), table);
                grads.put(n, Nd4j.create(table, params.get(n).shape(), 'c'));
            } else {
                grads.put(n, og.getGradients().get(n));
            }
        }
        double loss = og.getOutputs().get(LOSS).getDouble(0);
        dropSessions(sd);
        return new LossAndGradients(loss, grads);
    }

    /**
     * Drops the graph's inference sessions (and its gradient function's). A SameDiff M2.1 session keeps every op
     * output of its last run reachable until the next run starts (about 1.9 GB for {@code small} at 2,048 target
     * tokens before {@link EagerRelease}). Kept, they are still alive when the next step allocates its own, so the
     * per-step {@code System.gc()} cannot free them and the peak doubles (measured: 4.3 GB -> 2.4 GB peak RSS with
     * this alone). A fresh session per step costs nothing measurable.
     */
    private static void dropSessions(SameDiff sd) {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            grad.getSessions().clear();
        }
    }

    /**
     * Frees what only training steps use: the training graph (with its gradient graph) and the array pool's waiting
     * buffers. Called when training ends, so that decoding can reuse that memory (a 2-minute {@code small} run
     * peaked at 2.7 GB while decoding after training, 2.4 GB with this; 1.8 GB while training); the next training
     * step rebuilds them.
     */
    public void releaseTrainingMemory() {
        if (train != null) {
            dropSessions(train);
            train = null;
            dropSites.clear();      // filled again when the training graph is rebuilt
            release.forgetGraphs();
        }
        pool.clear();
        System.gc();
    }

    /** Gives the graph's session for this thread the pool as memory manager (sessions are dropped after each step). */
    private void usePool(SameDiff graph) {
        if (graph != null) {
            InferenceSession s = new InferenceSession(graph);
            s.setMmgr(pool);
            graph.getSessions().put(Thread.currentThread().getId(), s);
        }
    }

    /** Allocation counts of the training step's array pool (hits = memory reused). */
    Map<String, Long> poolCounts() {
        return pool.counts();
    }

    /** Bytes of intermediate arrays the last {@link #gradients} call freed before it returned. */
    long releasedBytes() {
        return releasedBytes;
    }

    /** Inverted-dropout masks (0 or 1/(1-p)) for every dropout site, drawn from {@code seed}. */
    Map<String, INDArray> dropoutMasks(Batch batch, long seed) {
        Map<String, INDArray> out = new HashMap<>();
        if (cfg.dropout() <= 0) {
            return out;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int d = cfg.dModel();
        float scale = (float) (1 / (1 - cfg.dropout()));
        // each unit is kept when a 16-bit uniform number is below keep * 2^16: four units per 64 random bits (one
        // nextFloat per unit took ~65 ms a small step); the keep probability is exact to 1/65536
        long keep16 = Math.round((1 - cfg.dropout()) * 65536);
        int srcRows = batch.rows() * batch.source()[0].length, tgtRows = batch.rows() * batch.target()[0].length;
        // one generator per site, split in site order, so the masks do not depend on which thread fills which
        SplittableRandom[] site = new SplittableRandom[dropSites.size()];
        INDArray[] masks = new INDArray[site.length];
        for (int i = 0; i < site.length; i++) {
            site[i] = rng.split();
            // written straight into the native buffer: a Java array per mask made 36 MB of short-lived humongous
            // objects a small step, whose fresh pages cost more than drawing the numbers
            masks[i] = Nd4j.createUninitialized(DataType.FLOAT, dropSites.get(i) ? srcRows : tgtRows, d);
        }
        java.util.stream.IntStream.range(0, site.length).parallel().forEach(i -> {
            FloatBuffer m = masks[i].data().asNioFloat();
            int n = (int) masks[i].length();
            for (int k = 0; k < n; k += 4) {
                long bits = site[i].nextLong();
                for (int j = k; j < Math.min(n, k + 4); j++, bits >>>= 16) {
                    m.put(j, (bits & 0xFFFF) < keep16 ? scale : 0f);
                }
            }
        });
        for (int i = 0; i < site.length; i++) {
            out.put("dropout_mask_" + i, masks[i]);
        }
        return out;
    }

    /** Label-smoothed loss and NLL (per target token) of one batch, without dropout. */
    public double[] evalLoss(Batch batch, double labelSmoothing) {
        SameDiff sd = evalGraph(labelSmoothing);
        Map<String, INDArray> out = sd.output(trainFeed(batch), LOSS, NLL);
        double[] losses = {out.get(LOSS).getDouble(0), out.get(NLL).getDouble(0)};
        dropSessions(sd);
        return losses;
    }

    /** Builds the placeholders of one batch. */
    public Feed feed(Batch batch) {
        int b = batch.rows();
        int s = batch.source()[0].length;
        int t = batch.target()[0].length;
        checkLength(s, "source");
        checkLength(t, "target");
        int[][] tgtIn = new int[b][t];
        int[] labels = new int[b * t];
        float[] mask = new float[b * t];
        for (int i = 0; i < b; i++) {
            int[] y = batch.target()[i];
            tgtIn[i][0] = bosId;
            for (int j = 1; j < t; j++) {
                tgtIn[i][j] = y[j - 1];
            }
            for (int j = 0; j < t; j++) {
                labels[i * t + j] = y[j];
                mask[i * t + j] = y[j] == padId ? 0f : 1f;
            }
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(SRC, ids(batch.source()));
        feed.put(SRC_BIAS, paddingBias(batch.source()));
        feed.put(SRC_POS, positionRows(b, s));
        feed.put(TGT_IN, ids(tgtIn));
        feed.put(TGT_POS, positionRows(b, t));
        feed.put(CAUSAL, causal(t));
        feed.put(SRC_EMB, embedRows(batch.source()));
        feed.put(TGT_EMB, embedRows(tgtIn));
        feed.put(LABELS, Nd4j.createFromArray(labels));
        feed.put(TGT_MASK, Nd4j.createFromArray(mask));
        return new Feed(feed, batch.source(), tgtIn);
    }

    private void checkLength(int len, String what) {
        if (len > positions.length) {
            throw new IllegalArgumentException(what + " length " + len + " exceeds max_length " + cfg.maxLength());
        }
    }

    static INDArray ids(int[][] rows) {
        int b = rows.length, t = rows[0].length;
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, flat, i * t, t);
        }
        return Nd4j.create(flat, new long[]{b, t}, DataType.INT32);
    }

    INDArray paddingBias(int[][] src) {
        int b = src.length, s = src[0].length;
        float[] bias = new float[b * s];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s; j++) {
                bias[i * s + j] = src[i][j] == padId ? NEG : 0f;
            }
        }
        return Nd4j.create(bias, new long[]{b, 1, 1, s}, 'c');
    }

    /**
     * The embedding-table rows of {@code ids}, [rows*cols, d] (with hash embeddings: the fixed hash vectors,
     * [rows*cols, hash_dim], which the graph projects). The lookup happens outside the graph because
     * SameDiff M2.1's gather has no usable gradient and a one-hot matmul costs three [N,V]x[V,d] products per
     * step; the table's gradient is scattered back by {@link #scatterAdd}.
     */
    INDArray embedRows(int[][] ids) {
        int d = inputWidth();
        // rows are copied straight out of the live table: copying the whole table first made [V, d] of garbage
        // per call, which grew the Java heap (and its page faults) during decoding
        FloatBuffer table = hashVectors != null ? FloatBuffer.wrap(hashVectors) : embedTable();
        int b = ids.length, t = ids[0].length;
        float[] out = new float[b * t * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int id = ids[i][j];
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocab + ")");
                }
                table.get(id * d, out, (i * t + j) * d, d);
            }
        }
        return Nd4j.create(out, new long[]{(long) b * t, d}, 'c');
    }

    /** Width of the rows looked up outside the graph: d_model, or hash_dim with hash embeddings. */
    int inputWidth() {
        return cfg.hashEmbedding() ? cfg.hashDim() : cfg.dModel();
    }

    /** The live embedding table as a buffer positioned at row 0 (parameters are dense c-order arrays). */
    private FloatBuffer embedTable() {
        return NdArrays.view(params.get(ParamSpec.EMBED));
    }

    /** Adds the gradient of the looked-up rows ({@code rowGrad}, [N, d]) into {@code tableGrad} ([V, d], c order). */
    public void scatterAdd(int[][] ids, INDArray rowGrad, float[] tableGrad) {
        int d = cfg.dModel();
        float[] g = NdArrays.read(rowGrad);
        int b = ids.length, t = ids[0].length;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int base = ids[i][j] * d, from = (i * t + j) * d;
                for (int k = 0; k < d; k++) {
                    tableGrad[base + k] += g[from + k];
                }
            }
        }
    }

    static INDArray causal(int t) {
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i * t + j] = NEG;
            }
        }
        return Nd4j.create(m, new long[]{1, 1, t, t}, 'c');
    }

    INDArray positionRows(int b, int t) {
        return positionRows(b, 0, t);
    }

    /** Encodings of positions {@code from .. from+t-1} for each of {@code b} rows, [b*t, d]. */
    INDArray positionRows(int b, int from, int t) {
        int d = cfg.dModel();
        float[] out = new float[b * t * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                System.arraycopy(positions[from + j], 0, out, (i * t + j) * d, d);
            }
        }
        return Nd4j.create(out, new long[]{(long) b * t, d}, 'c');
    }

    /** Sinusoidal position encodings ("Attention Is All You Need" 3.5): sin on even, cos on odd columns. */
    static float[][] sinusoids(int n, int d) {
        float[][] pe = new float[n][d];
        for (int pos = 0; pos < n; pos++) {
            for (int i = 0; i < d; i += 2) {
                double angle = pos / Math.pow(10000, (double) i / d);
                pe[pos][i] = (float) Math.sin(angle);
                if (i + 1 < d) {
                    pe[pos][i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }

    // ---------------------------------------------------------------- graph

    enum Mode { TRAIN, EVAL, ENCODE, STEP }

    private SameDiff build(Mode mode, double eps) {
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> v = new HashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            v.put(e.getKey(), sd.var(e.getKey(), e.getValue()));
        }
        // the same array objects: in-place updates are seen by every graph
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            sd.associateArrayWithVariable(e.getValue(), e.getKey());
        }
        Graph g = new Graph(sd, v, mode == Mode.TRAIN ? cfg.dropout() : 0);
        SDVariable srcBias = sd.placeHolder(SRC_BIAS, DataType.FLOAT, -1, 1, 1, -1);
        SDVariable outW = cfg.tiedEmbeddings() ? v.get(ParamSpec.EMBED) : v.get(ParamSpec.OUTPUT);
        if (mode == Mode.STEP) {
            SDVariable tgtPos = sd.placeHolder(TGT_POS, DataType.FLOAT, -1, cfg.dModel());
            SDVariable h = g.decoderStep(embInput(sd, TGT_EMB, mode), tgtPos, srcBias);
            sd.nn().logSoftmax(LOG_PROBS, sd.mmul(h, outW, false, true, false));
            return sd;
        }
        SDVariable src = sd.placeHolder(SRC, DataType.INT32, -1, -1);
        SDVariable srcShape = g.shape4(src);
        SDVariable srcPos = sd.placeHolder(SRC_POS, DataType.FLOAT, -1, cfg.dModel());
        SDVariable memory = g.encoder(embInput(sd, SRC_EMB, mode), srcPos, srcBias, srcShape);
        if (mode == Mode.ENCODE) {
            g.crossKeysAndValues(memory, srcShape);
            return sd;
        }
        SDVariable tgtIn = sd.placeHolder(TGT_IN, DataType.INT32, -1, -1);
        SDVariable tgtPos = sd.placeHolder(TGT_POS, DataType.FLOAT, -1, cfg.dModel());
        SDVariable causal = sd.placeHolder(CAUSAL, DataType.FLOAT, 1, 1, -1, -1);
        SDVariable tgtEmb = embInput(sd, TGT_EMB, mode);
        SDVariable h = g.decoder(tgtEmb, tgtPos, causal, memory, srcBias, g.shape4(tgtIn), srcShape);
        SDVariable logits = sd.mmul(LOGITS, h, outW, false, true, false);
        SDVariable labels = sd.placeHolder(LABELS, DataType.INT32, -1);
        SDVariable mask = sd.placeHolder(TGT_MASK, DataType.FLOAT, -1);
        // label-smoothed cross-entropy, targets q = (1 - eps) one-hot + eps / V (rows sum to 1), from one softmax
        // forward and one subtraction backward (SoftmaxCrossEntropy)
        double on = 1 - eps + eps / vocab, off = eps / vocab;
        SDVariable q = sd.oneHot("smooth_targets", labels, vocab, -1, on, off, DataType.FLOAT);
        SDVariable denom = mask.sum();
        SDVariable rows = SoftmaxCrossEntropy.apply(sd, logits, q);
        if (mode == Mode.TRAIN && distills()) {
            // the soft term: T^2 * cross-entropy of the student's tempered softmax against the teacher's (the same
            // op, so its backward is (softmax(x / T) - p_t) / T per logit)
            double t = distillation.temperature();
            SDVariable teacher = sd.placeHolder(TEACHER_PROBS, DataType.FLOAT, -1, vocab);
            SDVariable soft = SoftmaxCrossEntropy.apply(sd, logits.div(t), teacher);
            rows = rows.mul(1 - distillation.alpha()).add(soft.mul(distillation.alpha() * t * t));
        }
        SDVariable loss = rows.mul(mask).sum().div(LOSS, denom);
        if (mode == Mode.EVAL) {
            SDVariable gold = sd.oneHot("gold_targets", labels, vocab, -1, 1.0, 0.0, DataType.FLOAT);
            SoftmaxCrossEntropy.apply(sd, logits, gold).mul(mask).sum().div(NLL, denom);
        }
        sd.setLossVariables(loss);
        return sd;
    }

    /**
     * The looked-up embedding rows enter the graph as a placeholder, except in the training graph: SameDiff M2.1
     * returns no gradient for placeholders, so there they are a variable whose array is swapped every step.
     */
    private SDVariable embInput(SameDiff sd, String name, Mode mode) {
        if (mode == Mode.TRAIN) {
            return sd.var(name, Nd4j.zeros(DataType.FLOAT, 1, inputWidth()));
        }
        return sd.placeHolder(name, DataType.FLOAT, -1, inputWidth());
    }

    /** Builds the layers into one SameDiff; parameter names follow {@link ParamSpec}. */
    private final class Graph {
        final SameDiff sd;
        final Map<String, SDVariable> v;
        final double dropout;
        final int d = cfg.dModel(), heads = cfg.heads(), dk = cfg.dModel() / cfg.heads();

        Graph(SameDiff sd, Map<String, SDVariable> v, double dropout) {
            this.sd = sd;
            this.v = v;
            this.dropout = dropout;
        }

        /** [B, T, H, dk] as a LONG vector computed from an id placeholder [B, T]. */
        SDVariable shape4(SDVariable ids) {
            SDVariable bt = sd.shape(ids).castTo(DataType.INT64);
            return sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) heads, (long) dk)));
        }

        /** true while building the encoder: which rows (source or target) a dropout mask covers. */
        boolean inEncoder = true;

        /**
         * Inverted dropout as a product with a mask placeholder filled in Java ({@link #dropoutMasks}): SameDiff
         * M2.1's dropout ops have no derivative, and a mask drawn from our own seed makes resumption exact.
         */
        SDVariable drop(SDVariable x) {
            if (dropout <= 0) {
                return x;
            }
            String name = "dropout_mask_" + dropSites.size();
            dropSites.add(inEncoder);
            return x.mul(sd.placeHolder(name, DataType.FLOAT, -1, d));
        }

        /**
         * rows: the embedding-table rows of the ids, [N, d], looked up outside the graph (see {@link #embedRows});
         * with hash embeddings the fixed hash vectors [N, hash_dim], projected here when there is a projection.
         */
        SDVariable embed(SDVariable rows, SDVariable pos) {
            if (cfg.hashEmbedding() && cfg.hashProjection()) {
                rows = sd.mmul(rows, v.get(ParamSpec.HASH_PROJ), false, true, false);
            }
            return drop(rows.mul(Math.sqrt(d)).add(pos));
        }

        /** x W^T + b as one native op forward and one backward ({@link LinearOp}). */
        SDVariable linear(String p, SDVariable x) {
            return LinearOp.apply(sd, x, v.get(p + ".weight"), v.get(p + ".bias"));
        }

        SDVariable norm(String p, SDVariable x) {
            return LayerNormOp.apply(sd, x, v.get(p + ".weight"), v.get(p + ".bias"));
        }

        /** Multi-head attention; x rows are [B*Tq, d], kv rows [B*Tk, d]; bias broadcasts to [B, H, Tq, Tk]. */
        SDVariable attention(String p, SDVariable x, SDVariable kv, SDVariable qShape, SDVariable kShape, SDVariable bias) {
            SDVariable q = linear(p + ".q_proj", x).mul(1.0 / Math.sqrt(dk));
            SDVariable k = linear(p + ".k_proj", kv);
            SDVariable val = linear(p + ".v_proj", kv);
            SDVariable q4 = sd.reshape(q, qShape).permute(0, 2, 1, 3);      // [B,H,Tq,dk]
            SDVariable k4 = sd.reshape(k, kShape).permute(0, 2, 3, 1);      // [B,H,dk,Tk]
            SDVariable v4 = sd.reshape(val, kShape).permute(0, 2, 1, 3);    // [B,H,Tk,dk]
            return attend(p, q4, k4, v4, bias);
        }

        /** Scaled dot-product attention over split heads, then the output projection; rows of the result [B*Tq, d]. */
        SDVariable attend(String p, SDVariable q4, SDVariable k4, SDVariable v4, SDVariable bias) {
            SDVariable scores = sd.mmul(q4, k4).add(bias);
            SDVariable probs = sd.nn().softmax(scores, 3);
            SDVariable o = sd.mmul(probs, v4).permute(0, 2, 1, 3);          // [B,Tq,H,dk]
            return linear(p + ".out_proj", sd.reshape(o, -1, d));
        }

        /** The query of one new position per row, [R, H, 1, dk], scaled. */
        SDVariable stepQuery(String p, SDVariable x) {
            return sd.reshape(linear(p + ".q_proj", x).mul(1.0 / Math.sqrt(dk)), -1, heads, 1, dk);
        }

        /** Per decoder layer, the encoder-attention keys [B,H,dk,S] and values [B,H,S,dk] of the memory. */
        void crossKeysAndValues(SDVariable memory, SDVariable srcShape) {
            for (int i = 0; i < cfg.decoderLayers(); i++) {
                String p = "decoder.layers." + i + ".encoder_attn";
                sd.permute(crossKeys(i), sd.reshape(linear(p + ".k_proj", memory), srcShape), 0, 2, 3, 1);
                sd.permute(crossValues(i), sd.reshape(linear(p + ".v_proj", memory), srcShape), 0, 2, 1, 3);
            }
        }

        /**
         * The decoder for one new position per row (incremental decoding): self-attention reads the cached keys
         * and values of the row's parent hypothesis plus its own, encoder-attention the sentence's cached
         * projections; outputs the grown caches as {@link #keys}/{@link #values}.
         */
        SDVariable decoderStep(SDVariable tgtEmb, SDVariable pos, SDVariable srcBias) {
            inEncoder = false;
            SDVariable sentence = sd.placeHolder(SENTENCE, DataType.INT32, -1);
            SDVariable parent = sd.placeHolder(PARENT, DataType.INT32, -1);
            SDVariable selfBias = sd.placeHolder(SELF_BIAS, DataType.FLOAT, 1, 1, 1, -1);
            SDVariable rowBias = sd.gather(srcBias, sentence, 0);
            SDVariable x = embed(tgtEmb, pos);
            for (int i = 0; i < cfg.decoderLayers(); i++) {
                String p = "decoder.layers." + i;
                int layer = i;
                x = sublayer(p + ".self_attn_layer_norm", x, y -> {
                    SDVariable pastK = sd.placeHolder(pastKeys(layer), DataType.FLOAT, -1, heads, dk, -1);
                    SDVariable pastV = sd.placeHolder(pastValues(layer), DataType.FLOAT, -1, heads, -1, dk);
                    SDVariable k = sd.reshape(linear(p + ".self_attn.k_proj", y), -1, heads, dk, 1);
                    SDVariable val = sd.reshape(linear(p + ".self_attn.v_proj", y), -1, heads, 1, dk);
                    SDVariable k4 = sd.concat(keys(layer), 3, sd.gather(pastK, parent, 0), k);
                    SDVariable v4 = sd.concat(values(layer), 2, sd.gather(pastV, parent, 0), val);
                    return attend(p + ".self_attn", stepQuery(p + ".self_attn", y), k4, v4, selfBias);
                });
                x = sublayer(p + ".encoder_attn_layer_norm", x, y -> {
                    SDVariable k4 = sd.gather(sd.placeHolder(crossKeys(layer), DataType.FLOAT, -1, heads, dk, -1), sentence, 0);
                    SDVariable v4 = sd.gather(sd.placeHolder(crossValues(layer), DataType.FLOAT, -1, heads, -1, dk), sentence, 0);
                    return attend(p + ".encoder_attn", stepQuery(p + ".encoder_attn", y), k4, v4, rowBias);
                });
                x = sublayer(p + ".final_layer_norm", x, y -> ffn(p, y));
            }
            return cfg.preLn() ? norm("decoder.layer_norm", x) : x;
        }

        SDVariable ffn(String p, SDVariable x) {
            // ReLU as max(x, 0): the same function, but M2.1's relu backward (thresholdedrelu_bp) took ~14 ms per
            // [2048, 1024] array, scalar max's about 1 ms
            SDVariable h = sd.scalarMax(linear(p + ".fc1", x), 0.0);
            return linear(p + ".fc2", h);
        }

        /** One residual sub-layer with pre- or post-LN. */
        SDVariable sublayer(String normName, SDVariable x, java.util.function.UnaryOperator<SDVariable> f) {
            if (cfg.preLn()) {
                return x.add(drop(f.apply(norm(normName, x))));
            }
            return norm(normName, x.add(drop(f.apply(x))));
        }

        SDVariable encoder(SDVariable srcEmb, SDVariable pos, SDVariable bias, SDVariable shape) {
            SDVariable x = embed(srcEmb, pos);
            for (int i = 0; i < cfg.encoderLayers(); i++) {
                String p = "encoder.layers." + i;
                x = sublayer(p + ".self_attn_layer_norm", x, y -> attention(p + ".self_attn", y, y, shape, shape, bias));
                x = sublayer(p + ".final_layer_norm", x, y -> ffn(p, y));
            }
            return cfg.preLn() ? norm("encoder.layer_norm", x) : x;
        }

        SDVariable decoder(SDVariable tgtEmb, SDVariable pos, SDVariable causal, SDVariable memory, SDVariable srcBias,
                           SDVariable tShape, SDVariable sShape) {
            inEncoder = false;
            SDVariable x = embed(tgtEmb, pos);
            for (int i = 0; i < cfg.decoderLayers(); i++) {
                String p = "decoder.layers." + i;
                x = sublayer(p + ".self_attn_layer_norm", x, y -> attention(p + ".self_attn", y, y, tShape, tShape, causal));
                x = sublayer(p + ".encoder_attn_layer_norm", x, y -> attention(p + ".encoder_attn", y, memory, tShape, sShape, srcBias));
                x = sublayer(p + ".final_layer_norm", x, y -> ffn(p, y));
            }
            return cfg.preLn() ? norm("decoder.layer_norm", x) : x;
        }
    }

    /** {@link NamedParameters} over the live arrays. */
    private static final class LiveParameters implements NamedParameters {
        private final Map<String, INDArray> arrays;

        LiveParameters(Map<String, INDArray> arrays) {
            this.arrays = arrays;
        }

        @Override
        public List<String> names() {
            return new ArrayList<>(arrays.keySet());
        }

        @Override
        public long[] shape(String name) {
            return get(name).shape().clone();
        }

        @Override
        public float[] read(String name) {
            return NdArrays.read(get(name));
        }

        @Override
        public void write(String name, float[] values) {
            INDArray a = get(name);
            if (values.length != a.length()) {
                throw new IllegalArgumentException(name + ": expected " + a.length() + " values, got " + values.length);
            }
            a.assign(Nd4j.create(values, a.shape(), 'c'));
        }

        private INDArray get(String name) {
            INDArray a = arrays.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no parameter named '" + name + "'");
            }
            return a;
        }
    }
}
