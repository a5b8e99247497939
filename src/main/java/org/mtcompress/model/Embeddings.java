package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.util.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * The model's input embeddings outside the graph: the rows of a batch's ids looked up in the dense table (or the
 * fixed hash vectors of their pieces), and the table's gradient scattered back from the looked-up rows.
 *
 * <p>Why outside: SameDiff M2.1's gather has no usable gradient and a one-hot matmul costs three [N,V]x[V,d]
 * products per step, so the rows enter the graph as an input and their gradient is added into the table by hand.
 */
final class Embeddings {
    private final ModelConfig cfg;
    private final int vocab;
    private final Map<String, INDArray> params;
    /** The vocabulary's pieces by id, kept only with hash embeddings (null otherwise). */
    private final List<String> pieces;
    /** Hash embeddings: the fixed [V, hash_dim] vectors of the pieces, row-major (null for a dense table). */
    private final float[] hashVectors;

    /** Lookups in {@code params}' live table, or with {@code embedding: hash} in the vectors of {@code pieces}. */
    Embeddings(ModelConfig cfg, int vocab, Map<String, INDArray> params, List<String> pieces) {
        this.cfg = cfg;
        this.vocab = vocab;
        this.params = params;
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

    /** The vocabulary's pieces by id with hash embeddings, else null. */
    List<String> pieces() {
        return pieces;
    }

    /** Width of the rows looked up outside the graph: d_model, or hash_dim with hash embeddings. */
    int inputWidth() {
        return cfg.hashEmbedding() ? cfg.hashDim() : cfg.dModel();
    }

    /**
     * The embedding-table rows of {@code ids}, [rows*cols, d] (with hash embeddings: the fixed hash vectors,
     * [rows*cols, hash_dim], which the graph projects).
     */
    INDArray rows(int[][] ids) {
        int d = inputWidth();
        // rows are copied straight out of the live table: copying the whole table first made [V, d] of garbage
        // per call, which grew the Java heap (and its page faults) during decoding
        FloatBuffer table = hashVectors != null ? FloatBuffer.wrap(hashVectors) : NdArrays.view(params.get(ParamSpec.EMBED));
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

    /**
     * The embedding table's gradient: the in-graph part {@code inGraph} (tied output projection; null when the
     * table is not in the graph) plus the gradients of the rows looked up for {@code source} and {@code targetIn}.
     */
    INDArray tableGradient(INDArray inGraph, int[][] source, INDArray sourceRowGrad, int[][] targetIn,
                           INDArray targetRowGrad) {
        INDArray table = params.get(ParamSpec.EMBED);
        float[] g = inGraph != null ? NdArrays.read(inGraph) : new float[(int) table.length()];
        scatterAdd(source, sourceRowGrad, g);
        scatterAdd(targetIn, targetRowGrad, g);
        return Nd4j.create(g, table.shape(), 'c');
    }

    /** Adds the gradient of the looked-up rows ({@code rowGrad}, [N, d]) into {@code tableGrad} ([V, d], c order). */
    void scatterAdd(int[][] ids, INDArray rowGrad, float[] tableGrad) {
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
}
