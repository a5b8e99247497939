package org.mtcompress.compress;

/** How the scales of integer quantization are shared (compressed-tensors' strategies for weights). */
public enum QuantStrategy {
    /** One scale per output row (per token, for an embedding table). */
    CHANNEL,
    /** One scale per {@code group_size} consecutive values of a row. */
    GROUP
}
