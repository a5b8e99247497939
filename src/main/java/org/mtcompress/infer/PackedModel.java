package org.mtcompress.infer;

import org.mtcompress.compress.EncodedTensor;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.model.IncrementalModel;
import org.mtcompress.model.ParamSpec;
import org.mtcompress.util.MtcException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Transformer of a {@code .mtcz} as a plain-Java incremental decoder that computes from the stored forms
 * ({@link StoredForms}): weight matrices stay packed, vectors (biases, layer-norm gains) are fp32. The same
 * arithmetic as {@code model.Transformer}'s encoder and one-step graphs (pre- or post-LN, sinusoidal positions,
 * embeddings scaled by sqrt(d), tied or untied output projection), with the self-attention keys and values of
 * every hypothesis cached and reordered by parent each step as the one-step graph does.
 *
 * <p>Built with {@code packed = false} every matrix is decoded to dense fp32 first: the dense model of the same
 * file, which the packed one matches token for token (codebook and intN products bit for bit, see {@link Dot}).
 */
public final class PackedModel implements IncrementalModel {
    private static final float NEG = -1e9f;

    private final ModelConfig cfg;
    private final int vocab, pad, bos, eos, d, heads, dk;
    private final Map<String, LinearWeights> matrices = new LinkedHashMap<>();
    private final Map<String, float[]> vectors = new LinkedHashMap<>();
    private final LinearWeights embed, output;
    private final float[][] positions;

    private PackedModel(Mtcz.Contents c, boolean packed) {
        this.cfg = c.header().model();
        if (cfg.hashEmbedding()) {
            throw new MtcException("packed decoding needs an embedding table; this model has hash embeddings "
                    + "(translate its .mtck checkpoint instead)");
        }
        this.vocab = c.header().vocab().size();
        this.pad = c.header().vocab().pad();
        this.bos = c.header().vocab().bos();
        this.eos = c.header().vocab().eos();
        this.d = cfg.dModel();
        this.heads = cfg.heads();
        this.dk = d / heads;
        for (ParamSpec s : ParamSpec.all(cfg, vocab)) {
            EncodedTensor t = c.stored().get(s.name());
            if (t == null || !java.util.Arrays.equals(t.shape(), s.shape())) {
                throw new MtcException("the .mtcz does not fit its own model config: parameter " + s.name()
                        + (t == null ? " is missing" : " has shape " + java.util.Arrays.toString(t.shape())));
            }
            if (s.shape().length == 2) {
                matrices.put(s.name(), StoredForms.of(t, (int) s.shape()[0], (int) s.shape()[1], packed));
            } else {
                vectors.put(s.name(), t.decode());
            }
        }
        this.embed = matrices.get(ParamSpec.EMBED);
        this.output = cfg.tiedEmbeddings() ? embed : matrices.get(ParamSpec.OUTPUT);
        this.positions = sinusoids(cfg.maxLength() + 64, d);
    }

    /** The model of a {@code .mtcz}: matrices in their stored forms ({@code packed}) or decoded to dense fp32. */
    public static PackedModel of(Mtcz.Contents contents, boolean packed) {
        return new PackedModel(contents, packed);
    }

    /** Bytes of the parameters held while decoding (stored forms of the matrices plus fp32 vectors). */
    public long residentBytes() {
        long b = 0;
        for (LinearWeights w : matrices.values()) {
            b += w.residentBytes();
        }
        for (float[] v : vectors.values()) {
            b += 4L * v.length;
        }
        return b;
    }

    /** How many weight matrices use each form (e.g. {@code codebook-4bit=36, int4-g64=1}). */
    public Map<String, Integer> forms() {
        Map<String, Integer> m = new TreeMap<>();
        for (LinearWeights w : matrices.values()) {
            m.merge(w.form(), 1, Integer::sum);
        }
        return m;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int maxLength() {
        return cfg.maxLength();
    }

    // ---------------------------------------------------------------- building blocks

    private float[] linear(String p, float[] x, int n) {
        LinearWeights w = matrices.get(p + ".weight");
        float[] y = new float[n * w.rows()];
        w.multiply(x, n, vectors.get(p + ".bias"), y);
        return y;
    }

    /** Layer norm over each row of d values: population variance, no epsilon (as the native op the graph uses). */
    private float[] norm(String p, float[] x, int n) {
        float[] g = vectors.get(p + ".weight"), b = vectors.get(p + ".bias");
        float[] y = new float[x.length];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            double mean = 0;
            for (int k = 0; k < d; k++) {
                mean += x[o + k];
            }
            mean /= d;
            double var = 0;
            for (int k = 0; k < d; k++) {
                double c = x[o + k] - mean;
                var += c * c;
            }
            float inv = (float) (1 / Math.sqrt(var / d));
            float m = (float) mean;
            for (int k = 0; k < d; k++) {
                y[o + k] = (x[o + k] - m) * inv * g[k] + b[k];
            }
        }
        return y;
    }

    private float[] ffn(String p, float[] x, int n) {
        float[] h = linear(p + ".fc1", x, n);
        for (int i = 0; i < h.length; i++) {
            h[i] = Math.max(h[i], 0f);
        }
        return linear(p + ".fc2", h, n);
    }

    private static void addInto(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    /** One residual sub-layer, pre- or post-LN; {@code f} maps normalized (pre-LN) or raw rows to the update. */
    private float[] sublayer(String normName, float[] x, int n, java.util.function.UnaryOperator<float[]> f) {
        if (cfg.preLn()) {
            addInto(x, f.apply(norm(normName, x, n)));
            return x;
        }
        addInto(x, f.apply(x));
        return norm(normName, x, n);
    }

    /** Embedding rows of {@code ids} times sqrt(d) plus the encodings of positions {@code pos[i]}. */
    private float[] embedRows(int[] ids, int[] pos) {
        float[] x = new float[ids.length * d];
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocab + ")");
            }
        }
        embed.gather(ids, 0, ids.length, x, 0);
        float scale = (float) Math.sqrt(d);
        for (int i = 0; i < ids.length; i++) {
            float[] pe = positions[pos[i]];
            for (int k = 0; k < d; k++) {
                x[i * d + k] = x[i * d + k] * scale + pe[k];
            }
        }
        return x;
    }

    /**
     * Attention of one head for one query row: {@code q[qo .. qo+dk)} against {@code len} keys and values at
     * {@code kv[ko + j * d + h * dk ..]} (rows of width d), masked where {@code masked[j]}; writes the weighted sum
     * of values to {@code out[oo ..]}.
     */
    private void attendOne(float[] q, int qo, float[] keys, float[] values, int ko, int len, boolean[] masked, int mo,
                           float[] scores, float[] out, int oo, int h) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            float s = Dot.dot(q, qo, keys, ko + j * d + h * dk, dk) + (masked != null && masked[mo + j] ? NEG : 0f);
            scores[j] = s;
            max = Math.max(max, s);
        }
        float sum = 0;
        for (int j = 0; j < len; j++) {
            scores[j] = (float) Math.exp(scores[j] - max);
            sum += scores[j];
        }
        for (int k = 0; k < dk; k++) {
            out[oo + k] = 0;
        }
        for (int j = 0; j < len; j++) {
            float w = scores[j] / sum;
            int vo = ko + j * d + h * dk;
            for (int k = 0; k < dk; k++) {
                out[oo + k] += w * values[vo + k];
            }
        }
    }

    private float[] scaledQuery(String p, float[] y, int n) {
        float[] q = linear(p + ".q_proj", y, n);
        float s = (float) (1.0 / Math.sqrt(dk));
        for (int i = 0; i < q.length; i++) {
            q[i] *= s;
        }
        return q;
    }

    // ---------------------------------------------------------------- encoder and steps

    @Override
    public Session start(int[][] src) {
        int b = src.length, s = src[0].length;
        if (s > positions.length) {
            throw new IllegalArgumentException("source length " + s + " exceeds max_length " + cfg.maxLength());
        }
        int n = b * s;
        int[] ids = new int[n], pos = new int[n];
        boolean[] padded = new boolean[n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s; j++) {
                ids[i * s + j] = src[i][j];
                pos[i * s + j] = j;
                padded[i * s + j] = src[i][j] == pad;
            }
        }
        float[] x = embedRows(ids, pos);
        for (int l = 0; l < cfg.encoderLayers(); l++) {
            String p = "encoder.layers." + l;
            x = sublayer(p + ".self_attn_layer_norm", x, n, y -> {
                float[] q = scaledQuery(p + ".self_attn", y, n);
                float[] k = linear(p + ".self_attn.k_proj", y, n);
                float[] v = linear(p + ".self_attn.v_proj", y, n);
                float[] o = new float[n * d], scores = new float[s];
                for (int i = 0; i < b; i++) {
                    for (int t = 0; t < s; t++) {
                        for (int h = 0; h < heads; h++) {
                            attendOne(q, (i * s + t) * d + h * dk, k, v, i * s * d, s, padded, i * s, scores, o,
                                    (i * s + t) * d + h * dk, h);
                        }
                    }
                }
                return linear(p + ".self_attn.out_proj", o, n);
            });
            x = sublayer(p + ".final_layer_norm", x, n, y -> ffn(p, y, n));
        }
        float[] memory = cfg.preLn() ? norm("encoder.layer_norm", x, n) : x;
        float[][] crossK = new float[cfg.decoderLayers()][], crossV = new float[cfg.decoderLayers()][];
        for (int l = 0; l < cfg.decoderLayers(); l++) {
            String p = "decoder.layers." + l + ".encoder_attn";
            crossK[l] = linear(p + ".k_proj", memory, n);
            crossV[l] = linear(p + ".v_proj", memory, n);
        }
        return new Steps(s, padded, crossK, crossV);
    }

    /** Decoding state of one batch: the encoder's cross-attention keys/values and the self-attention cache. */
    private final class Steps implements Session {
        private final int srcLen;
        private final boolean[] padded;
        private final float[][] crossK, crossV;
        /** Per decoder layer, keys and values of every row's tokens so far: [rows][length][d]. */
        private float[][] keys, values;
        private int length;

        Steps(int srcLen, boolean[] padded, float[][] crossK, float[][] crossV) {
            this.srcLen = srcLen;
            this.padded = padded;
            this.crossK = crossK;
            this.crossV = crossV;
            this.keys = new float[cfg.decoderLayers()][0];
            this.values = new float[cfg.decoderLayers()][0];
        }

        @Override
        public float[] step(int[] sentence, int[] parent, int[] lastToken) {
            int n = sentence.length, t = length;
            if (t + 1 > positions.length) {
                throw new IllegalArgumentException("target length " + (t + 1) + " exceeds max_length " + cfg.maxLength());
            }
            int[] pos = new int[n];
            java.util.Arrays.fill(pos, t);
            float[] x = embedRows(lastToken, pos);
            int len = t + 1;
            for (int l = 0; l < cfg.decoderLayers(); l++) {
                String p = "decoder.layers." + l;
                int layer = l;
                x = sublayer(p + ".self_attn_layer_norm", x, n, y -> {
                    float[] q = scaledQuery(p + ".self_attn", y, n);
                    float[] k = linear(p + ".self_attn.k_proj", y, n);
                    float[] v = linear(p + ".self_attn.v_proj", y, n);
                    float[] kc = new float[n * len * d], vc = new float[n * len * d];
                    for (int r = 0; r < n; r++) {
                        if (t > 0) {
                            System.arraycopy(keys[layer], parent[r] * t * d, kc, r * len * d, t * d);
                            System.arraycopy(values[layer], parent[r] * t * d, vc, r * len * d, t * d);
                        }
                        System.arraycopy(k, r * d, kc, (r * len + t) * d, d);
                        System.arraycopy(v, r * d, vc, (r * len + t) * d, d);
                    }
                    keys[layer] = kc;
                    values[layer] = vc;
                    float[] o = new float[n * d], scores = new float[len];
                    for (int r = 0; r < n; r++) {
                        for (int h = 0; h < heads; h++) {
                            attendOne(q, r * d + h * dk, kc, vc, r * len * d, len, null, 0, scores, o, r * d + h * dk, h);
                        }
                    }
                    return linear(p + ".self_attn.out_proj", o, n);
                });
                x = sublayer(p + ".encoder_attn_layer_norm", x, n, y -> {
                    float[] q = scaledQuery(p + ".encoder_attn", y, n);
                    float[] o = new float[n * d], scores = new float[srcLen];
                    for (int r = 0; r < n; r++) {
                        int sb = sentence[r] * srcLen;
                        for (int h = 0; h < heads; h++) {
                            attendOne(q, r * d + h * dk, crossK[layer], crossV[layer], sb * d, srcLen, padded, sb,
                                    scores, o, r * d + h * dk, h);
                        }
                    }
                    return linear(p + ".encoder_attn.out_proj", o, n);
                });
                x = sublayer(p + ".final_layer_norm", x, n, y -> ffn(p, y, n));
            }
            length = len;
            float[] h = cfg.preLn() ? norm("decoder.layer_norm", x, n) : x;
            float[] logits = new float[n * vocab];
            output.multiply(h, n, null, logits);
            for (int r = 0; r < n; r++) {
                int o = r * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < vocab; j++) {
                    max = Math.max(max, logits[o + j]);
                }
                double sum = 0;
                for (int j = 0; j < vocab; j++) {
                    sum += Math.exp(logits[o + j] - max);
                }
                float lse = (float) (max + Math.log(sum));
                for (int j = 0; j < vocab; j++) {
                    logits[o + j] -= lse;
                }
            }
            return logits;
        }
    }

    /** Sinusoidal position encodings, as the Transformer computes them: sin on even, cos on odd columns. */
    private static float[][] sinusoids(int n, int d) {
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
