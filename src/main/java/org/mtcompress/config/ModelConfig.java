package org.mtcompress.config;

/**
 * Shape of the encoder-decoder Transformer ("Attention Is All You Need"). The vocabulary size is not part of
 * the config: it comes from the data's joint subword vocabulary when the model is built.
 */
@Doc("Transformer encoder-decoder shape")
public record ModelConfig(
        @Doc("encoder layers") @Default("6") @Range(min = 1, max = 48) int encoderLayers,
        @Doc("decoder layers") @Default("6") @Range(min = 1, max = 48) int decoderLayers,
        @Doc("attention heads; must divide d_model") @Default("8") @Range(min = 1, max = 64) int heads,
        @Doc("model (embedding) width") @Default("512") @Range(min = 8, max = 8192) int dModel,
        @Doc("inner width of the position-wise feed-forward layers") @Default("2048") @Range(min = 8, max = 32768) int ffnDim,
        @Doc("dropout on attention outputs, FFN outputs and embeddings (training only)") @Default("0.1") @Range(min = 0, max = 0.9) double dropout,
        @Doc("layer norm before each sub-layer (pre-LN, stabler); false = post-LN as in the original paper") @Default("true") boolean preLn,
        @Doc("output projection shares the (joint) embedding table; false adds decoder.output_projection.weight; "
                + "embedding: hash implies false (there is no table to share)") @Default("true") boolean tiedEmbeddings,
        @Doc("longest source or target sequence in tokens (positions are sinusoidal, so this only bounds inputs)") @Default("256") @Range(min = 8, max = 4096) int maxLength,
        @Doc("embedding kind: dense (a [V, d] table) or hash (EELBERT: computed from the piece's characters, no table)")
        @AddedLater("its value hash: hash embeddings, 2026-11-28") @Default("dense") Embedding embedding,
        @Doc("embedding: hash only: width of the hash vectors; 0 = d_model") @AddedLater("2026-11-28") @Default("0") @Range(min = 0, max = 8192) int hashDim,
        @Doc("embedding: hash only: a trainable [d_model, hash_dim] projection after the hash vectors "
                + "(encoder.embed_tokens.hash_proj.weight); false needs hash_dim = d_model") @AddedLater("2026-11-28") @Default("true") boolean hashProjection,
        @Doc("embedding: hash only: seed of the n-gram hash vectors (part of the architecture: checkpoints do not store them)")
        @AddedLater("2026-11-28") @Default("1") long hashSeed) {

    /** How token ids become vectors. */
    public enum Embedding {
        /** A trainable [vocabulary, d_model] table, looked up by one-hot matmul. */
        DENSE,
        /**
         * Dynamic hash embeddings (EELBERT): a token's vector is computed from its characters by
         * hash embeddings (model.HashEmbeddings), optionally followed by a trainable projection.
         */
        HASH
    }

    public ModelConfig {
        if (encoderLayers < 1 || decoderLayers < 1) {
            throw new IllegalArgumentException("encoder_layers and decoder_layers must be >= 1");
        }
        if (heads < 1 || dModel % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide d_model (" + dModel + ")");
        }
        if (ffnDim < 1) {
            throw new IllegalArgumentException("ffn_dim must be >= 1");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (embedding == null) {
            embedding = Embedding.DENSE;
        }
        if (hashDim < 0) {
            throw new IllegalArgumentException("hash_dim must be >= 0 (0 = d_model), got " + hashDim);
        }
        if (embedding == Embedding.HASH) {
            tiedEmbeddings = false; // no table to tie the output projection to: hash implies untied
            if (hashDim == 0) {
                hashDim = dModel;
            }
            if (hashDim < 3) {
                throw new IllegalArgumentException("hash_dim must be >= 3 (one part per n-gram size), got " + hashDim);
            }
            if (!hashProjection && hashDim != dModel) {
                throw new IllegalArgumentException("hash_projection: false needs hash_dim = d_model (" + dModel
                        + "), got " + hashDim);
            }
        }
    }

    /** A model without the hash settings (they only matter for {@code embedding: hash}): hash defaults. */
    public ModelConfig(int encoderLayers, int decoderLayers, int heads, int dModel, int ffnDim, double dropout,
                       boolean preLn, boolean tiedEmbeddings, int maxLength, Embedding embedding) {
        this(encoderLayers, decoderLayers, heads, dModel, ffnDim, dropout, preLn, tiedEmbeddings, maxLength, embedding,
                0, true, 1);
    }

    /** True for {@code embedding: hash}. */
    public boolean hashEmbedding() {
        return embedding == Embedding.HASH;
    }

    /** The "tiny" shape (d=128, 4 heads, FFN 512, 2+2 layers) used by tests and the quickstart. */
    public static ModelConfig tiny() {
        return new ModelConfig(2, 2, 4, 128, 512, 0.1, true, true, 256, Embedding.DENSE, 0, true, 1);
    }

    /** A copy with another dropout (tests use 0 for exact gradients). */
    public ModelConfig withDropout(double p) {
        return new ModelConfig(encoderLayers, decoderLayers, heads, dModel, ffnDim, p, preLn, tiedEmbeddings, maxLength, embedding, hashDim,
                hashProjection, hashSeed);
    }

    /** A copy with hash embeddings of width {@code hashDim} (0 = d_model), with or without the projection. */
    public ModelConfig withHashEmbedding(int hashDim, boolean projection, long seed) {
        return new ModelConfig(encoderLayers, decoderLayers, heads, dModel, ffnDim, dropout, preLn, false, maxLength,
                Embedding.HASH, hashDim, projection, seed);
    }

    /** A copy with the given layer-norm placement and tying. */
    public ModelConfig with(boolean preLn, boolean tiedEmbeddings) {
        return new ModelConfig(encoderLayers, decoderLayers, heads, dModel, ffnDim, dropout, preLn, tiedEmbeddings, maxLength, embedding, hashDim,
                hashProjection, hashSeed);
    }
}
