package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.mtcompress.model.Transformer.*;

/**
 * Builds the model's SameDiff graphs over the live parameter arrays; parameter names follow {@link ParamSpec}.
 *
 * <p>Every graph is built over the same {@link INDArray} objects, so an in-place write to a parameter is seen by
 * all of them. Workarounds for M2.1 (see the shared notes): the looked-up embedding rows are an input, attention
 * is built from rank-4 matmuls, and shapes that depend on the batch are computed in the graph from the id
 * placeholders so one graph serves every batch shape. Linear layers, layer norm and the loss are ops of ours with
 * hand-written derivatives ({@link LinearOp}, {@link LayerNormOp}, {@link SoftmaxCrossEntropy}).
 */
final class GraphBuilder {
    private final ModelConfig cfg;
    private final int vocab;
    private final Map<String, INDArray> params;
    private final int inputWidth;
    /** Where the training graph's dropout sites are recorded. */
    private final DropoutMasks dropoutMasks;

    GraphBuilder(ModelConfig cfg, int vocab, Map<String, INDArray> params, int inputWidth, DropoutMasks dropoutMasks) {
        this.cfg = cfg;
        this.vocab = vocab;
        this.params = params;
        this.inputWidth = inputWidth;
        this.dropoutMasks = dropoutMasks;
    }

    static String crossKeys(int layer) {
        return "cross_keys_" + layer;
    }

    static String crossValues(int layer) {
        return "cross_values_" + layer;
    }

    static String pastKeys(int layer) {
        return "past_keys_" + layer;
    }

    static String pastValues(int layer) {
        return "past_values_" + layer;
    }

    static String keys(int layer) {
        return "keys_" + layer;
    }

    static String values(int layer) {
        return "values_" + layer;
    }

    /** Which graph: training loss (with dropout), evaluation loss, encoder, one decoding step. */
    enum Mode { TRAIN, EVAL, ENCODE, STEP }

    /**
     * The graph of {@code mode}: {@code eps} is the label smoothing of the loss, {@code distillation} adds the soft
     * term to the training graph's loss (ignored in other modes and when {@link Distillation#NONE}).
     */
    SameDiff build(Mode mode, double eps, Distillation distillation) {
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
        if (mode == Mode.TRAIN && !distillation.equals(Distillation.NONE)) {
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
            return sd.var(name, Nd4j.zeros(DataType.FLOAT, 1, inputWidth));
        }
        return sd.placeHolder(name, DataType.FLOAT, -1, inputWidth);
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
         * Inverted dropout as a product with a mask placeholder filled in Java ({@link DropoutMasks}): SameDiff
         * M2.1's dropout ops have no derivative, and a mask drawn from our own seed makes resumption exact.
         */
        SDVariable drop(SDVariable x) {
            if (dropout <= 0) {
                return x;
            }
            return x.mul(sd.placeHolder(dropoutMasks.addSite(inEncoder), DataType.FLOAT, -1, d));
        }

        /**
         * rows: the embedding-table rows of the ids, [N, d], looked up outside the graph (see {@link Embeddings});
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
}
