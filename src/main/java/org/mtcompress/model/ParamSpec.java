package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One named parameter of the Transformer: its stable name, shape, role and initialization. The names follow
 * fairseq's ({@code encoder.layers.0.self_attn.q_proj.weight}), so compressor scopes read naturally. Weight
 * matrices are {@code [out, in]} like PyTorch's {@code nn.Linear}.
 */
public record ParamSpec(String name, long[] shape, Role role, Init init) {
    /** The joint embedding table, shared by encoder, decoder and (when tied) the output projection. */
    public static final String EMBED = "encoder.embed_tokens.weight";
    /**
     * With {@code embedding: hash}: the trainable {@code [d_model, hash_dim]} projection applied to the fixed hash
     * vectors (there is no {@link #EMBED} table then).
     */
    public static final String HASH_PROJ = "encoder.embed_tokens.hash_proj.weight";
    /** The untied output projection. */
    public static final String OUTPUT = "decoder.output_projection.weight";

    /** What a parameter does; {@code mtc model params} groups by it. */
    public enum Role { EMBEDDING, SELF_ATTENTION, CROSS_ATTENTION, FFN, NORM, BIAS, OUTPUT }

    /** How the initial values are drawn. */
    public enum Init { XAVIER, EMBEDDING, ZERO, ONE }

    public long count() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** Initial values drawn from {@code rng}: Xavier-uniform matrices, N(0, d^-1/2) embeddings, zero biases, unit gains. */
    float[] init(SplittableRandom rng) {
        float[] a = new float[(int) count()];
        switch (init) {
            case XAVIER -> {
                double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
                }
            }
            case EMBEDDING -> {
                double std = Math.pow(shape[1], -0.5);
                java.util.Random g = new java.util.Random(rng.nextLong());
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (g.nextGaussian() * std);
                }
            }
            case ONE -> java.util.Arrays.fill(a, 1f);
            case ZERO -> { }
        }
        return a;
    }

    /**
     * Every parameter of a model with this shape and vocabulary, in a stable order. With hash embeddings there is
     * no table, only the optional projection, and the output projection is always untied.
     */
    public static List<ParamSpec> all(ModelConfig cfg, int vocab) {
        List<ParamSpec> out = new ArrayList<>();
        int d = cfg.dModel(), f = cfg.ffnDim();
        if (!cfg.hashEmbedding()) {
            out.add(new ParamSpec(EMBED, new long[]{vocab, d}, Role.EMBEDDING, Init.EMBEDDING));
        } else if (cfg.hashProjection()) {
            out.add(new ParamSpec(HASH_PROJ, new long[]{d, cfg.hashDim()}, Role.EMBEDDING, Init.XAVIER));
        }
        for (int i = 0; i < cfg.encoderLayers(); i++) {
            String p = "encoder.layers." + i;
            attention(out, p + ".self_attn", d, Role.SELF_ATTENTION);
            norm(out, p + ".self_attn_layer_norm", d);
            ffn(out, p, d, f);
            norm(out, p + ".final_layer_norm", d);
        }
        if (cfg.preLn()) {
            norm(out, "encoder.layer_norm", d);
        }
        for (int i = 0; i < cfg.decoderLayers(); i++) {
            String p = "decoder.layers." + i;
            attention(out, p + ".self_attn", d, Role.SELF_ATTENTION);
            norm(out, p + ".self_attn_layer_norm", d);
            attention(out, p + ".encoder_attn", d, Role.CROSS_ATTENTION);
            norm(out, p + ".encoder_attn_layer_norm", d);
            ffn(out, p, d, f);
            norm(out, p + ".final_layer_norm", d);
        }
        if (cfg.preLn()) {
            norm(out, "decoder.layer_norm", d);
        }
        if (!cfg.tiedEmbeddings()) {
            out.add(new ParamSpec(OUTPUT, new long[]{vocab, d}, Role.OUTPUT, Init.EMBEDDING));
        }
        return out;
    }

    private static void attention(List<ParamSpec> out, String p, int d, Role role) {
        for (String proj : new String[]{"q_proj", "k_proj", "v_proj", "out_proj"}) {
            out.add(new ParamSpec(p + "." + proj + ".weight", new long[]{d, d}, role, Init.XAVIER));
            out.add(new ParamSpec(p + "." + proj + ".bias", new long[]{d}, Role.BIAS, Init.ZERO));
        }
    }

    private static void ffn(List<ParamSpec> out, String p, int d, int f) {
        out.add(new ParamSpec(p + ".fc1.weight", new long[]{f, d}, Role.FFN, Init.XAVIER));
        out.add(new ParamSpec(p + ".fc1.bias", new long[]{f}, Role.BIAS, Init.ZERO));
        out.add(new ParamSpec(p + ".fc2.weight", new long[]{d, f}, Role.FFN, Init.XAVIER));
        out.add(new ParamSpec(p + ".fc2.bias", new long[]{d}, Role.BIAS, Init.ZERO));
    }

    private static void norm(List<ParamSpec> out, String p, int d) {
        out.add(new ParamSpec(p + ".weight", new long[]{d}, Role.NORM, Init.ONE));
        out.add(new ParamSpec(p + ".bias", new long[]{d}, Role.NORM, Init.ZERO));
    }
}
