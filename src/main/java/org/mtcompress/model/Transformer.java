package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.util.NdArrays;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.mtcompress.model.GraphBuilder.crossKeys;
import static org.mtcompress.model.GraphBuilder.crossValues;
import static org.mtcompress.model.GraphBuilder.keys;
import static org.mtcompress.model.GraphBuilder.values;

/**
 * The encoder-decoder Transformer over one set of named parameter arrays: what callers use to train, evaluate
 * and decode. The work is done by parts with one job each: {@link GraphBuilder} (the SameDiff graphs),
 * {@link Embeddings} (lookups outside the graph and the table's gradient), {@link Feeds} (a batch's
 * placeholders), {@link DropoutMasks} (the dropout stream) and {@link TrainingMemory} (the step's memory).
 *
 * <p>Why several graphs: SameDiff in 1.0.0-M2.1 has no train/eval switch for dropout and cannot feed an
 * intermediate variable, so the model keeps a training graph (loss, with dropout), an evaluation graph (loss
 * without dropout), an encoder graph and a one-step decoder graph with a key/value cache, each built when first
 * needed. All four are built over the same {@link INDArray} objects, so an in-place write to a parameter is seen by
 * every graph.
 */
public final class Transformer {
    /** Placeholder and output names. */
    public static final String SRC = "src_ids", TGT_IN = "tgt_in_ids", LABELS = "labels", TGT_MASK = "tgt_mask",
            SRC_BIAS = "src_bias", CAUSAL = "causal_bias", SRC_POS = "src_pos", TGT_POS = "tgt_pos",
            TEACHER_PROBS = "teacher_probs", LOGITS = "logits",
            SRC_EMB = "src_emb", TGT_EMB = "tgt_emb", LOSS = "loss", NLL = "nll", LOG_PROBS = "log_probs",
            SENTENCE = "sentence", PARENT = "parent", SELF_BIAS = "self_bias";

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
    private final Embeddings embeddings;
    private final Feeds feeds;
    private final DropoutMasks dropoutMasks;
    private final GraphBuilder graphs;
    private TrainingMemory memory = new TrainingMemory();
    private SameDiff train, eval, encode, step;
    private Distillation distillation = Distillation.NONE;

    private Transformer(ModelConfig cfg, int vocab, int padId, int bosId, int eosId, LinkedHashMap<String, INDArray> params,
                        List<String> pieces) {
        this.cfg = cfg;
        this.vocab = vocab;
        this.padId = padId;
        this.bosId = bosId;
        this.eosId = eosId;
        this.params = params;
        this.embeddings = new Embeddings(cfg, vocab, params, pieces);
        this.feeds = new Feeds(cfg, padId, bosId, embeddings);
        this.dropoutMasks = new DropoutMasks(cfg.dropout(), cfg.dModel());
        this.graphs = new GraphBuilder(cfg, vocab, params, embeddings.inputWidth(), dropoutMasks);
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
        return embeddings.pieces();
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
        TrainingMemory.dropSessions(sd);
        return org.nd4j.linalg.ops.transforms.Transforms.softmax(logits.divi(temperature), false);
    }

    /** The training graph (label-smoothed loss, dropout on); built once. */
    public SameDiff trainGraph(double labelSmoothing) {
        if (train == null) {
            SameDiff sd = graphs.build(GraphBuilder.Mode.TRAIN, labelSmoothing, distillation);
            org.mtcompress.util.StdoutFilter.dropping("Added differentiated op", sd::createGradFunction);
            memory.attach(sd);
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
            eval = graphs.build(GraphBuilder.Mode.EVAL, labelSmoothing, distillation);
        }
        return eval;
    }

    private SameDiff encodeGraph() {
        if (encode == null) {
            encode = graphs.build(GraphBuilder.Mode.ENCODE, 0, distillation);
        }
        return encode;
    }

    private SameDiff stepGraph() {
        if (step == null) {
            step = graphs.build(GraphBuilder.Mode.STEP, 0, distillation);
        }
        return step;
    }

    // ---------------------------------------------------------------- incremental decoding

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
        Map<String, INDArray> feed = feeds.encoder(src);
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
        Map<String, INDArray> feed = feeds.step(enc, cache, sentence, parent, lastToken);
        List<String> outs = new ArrayList<>(List.of(LOG_PROBS));
        for (int i = 0; i < cfg.decoderLayers(); i++) {
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

    // ---------------------------------------------------------------- training and evaluation

    /** Placeholders for a training or evaluation batch. */
    public Map<String, INDArray> trainFeed(Batch batch) {
        return feed(batch).placeholders();
    }

    /** The placeholders of one batch plus the ids whose embedding rows were looked up. */
    public record Feed(Map<String, INDArray> placeholders, int[][] source, int[][] targetIn) {
    }

    /** Builds the placeholders of one batch. */
    public Feed feed(Batch batch) {
        return feeds.batch(batch);
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
        f.placeholders().putAll(dropoutMasks.draw(batch, dropoutSeed));
        List<String> wanted = new ArrayList<>();
        for (String n : params.keySet()) {
            if (!n.equals(ParamSpec.EMBED) || cfg.tiedEmbeddings()) {
                wanted.add(n);
            }
        }
        wanted.add(SRC_EMB);
        wanted.add(TGT_EMB);
        // the looked-up rows are variables of the training graph (placeholders get no gradient in M2.1)
        Map<String, INDArray> ph = new HashMap<>(f.placeholders());
        sd.associateArrayWithVariable(ph.remove(SRC_EMB), SRC_EMB);
        sd.associateArrayWithVariable(ph.remove(TGT_EMB), TGT_EMB);
        List<INDArray> pin = new ArrayList<>(params.values());
        pin.addAll(f.placeholders().values());
        OutAndGrad og = memory.gradients(sd, ph, List.of(LOSS), wanted, pin);
        Map<String, INDArray> g = og.getGradients();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String n : params.keySet()) {
            if (n.equals(ParamSpec.EMBED)) {
                grads.put(n, embeddings.tableGradient(cfg.tiedEmbeddings() ? g.get(n) : null,
                        f.source(), g.get(SRC_EMB), f.targetIn(), g.get(TGT_EMB)));
            } else {
                grads.put(n, g.get(n));
            }
        }
        double loss = og.getOutputs().get(LOSS).getDouble(0);
        TrainingMemory.dropSessions(sd);
        return new LossAndGradients(loss, grads);
    }

    /** Label-smoothed loss and NLL (per target token) of one batch, without dropout. */
    public double[] evalLoss(Batch batch, double labelSmoothing) {
        SameDiff sd = evalGraph(labelSmoothing);
        Map<String, INDArray> out = sd.output(trainFeed(batch), LOSS, NLL);
        double[] losses = {out.get(LOSS).getDouble(0), out.get(NLL).getDouble(0)};
        TrainingMemory.dropSessions(sd);
        return losses;
    }

    /**
     * Frees what only training steps use: the training graph (with its gradient graph) and the array pool's waiting
     * buffers. Called when training ends, so that decoding can reuse that memory (a 2-minute {@code small} run
     * peaked at 2.7 GB while decoding after training, 2.4 GB with this; 1.8 GB while training); the next training
     * step rebuilds them.
     */
    public void releaseTrainingMemory() {
        memory.release(train);
        if (train != null) {
            train = null;
            dropoutMasks.clear();      // filled again when the training graph is rebuilt
        }
    }

    /** Gives training steps an array pool of at most {@code bytes} (before the first step; tests compare sizes). */
    void trainingPoolBytes(long bytes) {
        if (train != null) {
            throw new IllegalStateException("the training graph already has its memory");
        }
        memory = new TrainingMemory(bytes);
    }

    /** Allocation counts of the training step's array pool (hits = memory reused). */
    Map<String, Long> poolCounts() {
        return memory.poolCounts();
    }

    /** Bytes of intermediate arrays the last {@link #gradients} call freed before it returned. */
    long releasedBytes() {
        return memory.releasedBytes();
    }

    // ---------------------------------------------------------------- embeddings

    /** The embedding rows of {@code ids} as the graphs take them (see {@link Embeddings#rows}). */
    INDArray embedRows(int[][] ids) {
        return embeddings.rows(ids);
    }

    /** Adds the gradient of the looked-up rows ({@code rowGrad}, [N, d]) into {@code tableGrad} ([V, d], c order). */
    public void scatterAdd(int[][] ids, INDArray rowGrad, float[] tableGrad) {
        embeddings.scatterAdd(ids, rowGrad, tableGrad);
    }
}
