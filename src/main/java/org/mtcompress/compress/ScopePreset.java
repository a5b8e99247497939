package org.mtcompress.compress;

/**
 * Named groups of weight matrices. Biases and layer norms are never part of a preset (name them with an
 * include regex to compress them).
 */
public enum ScopePreset {
    /** Every weight matrix: embeddings, attention, FFN, output projection. */
    ALL,
    /** Encoder and decoder self-attention q/k/v/out projections. */
    SELF_ATTENTION,
    /** Decoder encoder-attention (cross-attention) q/k/v/out projections. */
    CROSS_ATTENTION,
    /** Self- and cross-attention projections. */
    ATTENTION,
    /** Feed-forward fc1/fc2 weights. */
    FFN,
    /** Token embedding tables (encoder and decoder). */
    EMBEDDINGS,
    /** Nothing: only the include regexes select. */
    NONE
}
