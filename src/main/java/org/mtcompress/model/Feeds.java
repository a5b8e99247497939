package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.mtcompress.model.GraphBuilder.crossKeys;
import static org.mtcompress.model.GraphBuilder.crossValues;
import static org.mtcompress.model.GraphBuilder.keys;
import static org.mtcompress.model.GraphBuilder.pastKeys;
import static org.mtcompress.model.GraphBuilder.pastValues;
import static org.mtcompress.model.GraphBuilder.values;
import static org.mtcompress.model.Transformer.*;

/**
 * The placeholders the graphs are fed: ids, looked-up embedding rows, position encodings, padding and causal
 * biases, labels and their mask, for a training batch, an encoder run or one decoding step.
 */
final class Feeds {
    /** The bias that masks a position out of attention. */
    static final float NEG = -1e9f;

    private final ModelConfig cfg;
    private final int padId, bosId;
    private final Embeddings embeddings;
    private final float[][] positions;

    Feeds(ModelConfig cfg, int padId, int bosId, Embeddings embeddings) {
        this.cfg = cfg;
        this.padId = padId;
        this.bosId = bosId;
        this.embeddings = embeddings;
        this.positions = sinusoids(cfg.maxLength() + 64, cfg.dModel());
    }

    /** The placeholders of one training or evaluation batch. */
    Transformer.Feed batch(Batch batch) {
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
        feed.put(SRC_POS, positionRows(b, 0, s));
        feed.put(TGT_IN, ids(tgtIn));
        feed.put(TGT_POS, positionRows(b, 0, t));
        feed.put(CAUSAL, causal(t));
        feed.put(SRC_EMB, embeddings.rows(batch.source()));
        feed.put(TGT_EMB, embeddings.rows(tgtIn));
        feed.put(LABELS, Nd4j.createFromArray(labels));
        feed.put(TGT_MASK, Nd4j.createFromArray(mask));
        return new Transformer.Feed(feed, batch.source(), tgtIn);
    }

    /** The encoder graph's placeholders for padded sources [B, S]. */
    Map<String, INDArray> encoder(int[][] src) {
        checkLength(src[0].length, "source");
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(SRC, ids(src));
        feed.put(SRC_BIAS, paddingBias(src));
        feed.put(SRC_POS, positionRows(src.length, 0, src[0].length));
        feed.put(SRC_EMB, embeddings.rows(src));
        return feed;
    }

    /** The step graph's placeholders (see {@link Transformer#step}). */
    Map<String, INDArray> step(Transformer.Encoded enc, Transformer.DecoderCache cache, int[] sentence, int[] parent,
                               int[] lastToken) {
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
        feed.put(TGT_EMB, embeddings.rows(tok));
        feed.put(TGT_POS, positionRows(rows, pos, 1));
        for (int i = 0; i < cfg.decoderLayers(); i++) {
            feed.put(crossKeys(i), enc.arrays().get(crossKeys(i)));
            feed.put(crossValues(i), enc.arrays().get(crossValues(i)));
            feed.put(pastKeys(i), cache.arrays().get(keys(i)));
            feed.put(pastValues(i), cache.arrays().get(values(i)));
        }
        return feed;
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

    static INDArray causal(int t) {
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i * t + j] = NEG;
            }
        }
        return Nd4j.create(m, new long[]{1, 1, t, t}, 'c');
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
}
