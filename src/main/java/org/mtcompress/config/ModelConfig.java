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
        @Doc("output projection shares the (joint) embedding table; false adds decoder.output_projection.weight") @Default("true") boolean tiedEmbeddings,
        @Doc("longest source or target sequence in tokens (positions are sinusoidal, so this only bounds inputs)") @Default("256") @Range(min = 8, max = 4096) int maxLength,
        @Doc("embedding kind: dense (a [V, d] table)") @Default("dense") Embedding embedding) {

    /** How token ids become vectors. */
    public enum Embedding {
        /** A trainable [vocabulary, d_model] table, looked up by one-hot matmul. */
        DENSE
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
    }

    /** The "tiny" shape (d=128, 4 heads, FFN 512, 2+2 layers) used by tests and the quickstart. */
    public static ModelConfig tiny() {
        return new ModelConfig(2, 2, 4, 128, 512, 0.1, true, true, 256, Embedding.DENSE);
    }

    /** A copy with another dropout (tests use 0 for exact gradients). */
    public ModelConfig withDropout(double p) {
        return new ModelConfig(encoderLayers, decoderLayers, heads, dModel, ffnDim, p, preLn, tiedEmbeddings, maxLength, embedding);
    }

    /** A copy with the given layer-norm placement and tying. */
    public ModelConfig with(boolean preLn, boolean tiedEmbeddings) {
        return new ModelConfig(encoderLayers, decoderLayers, heads, dModel, ffnDim, dropout, preLn, tiedEmbeddings, maxLength, embedding);
    }
}
