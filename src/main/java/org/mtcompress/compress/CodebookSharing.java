package org.mtcompress.compress;

/** Which tensors share one k-means codebook. */
public enum CodebookSharing {
    /** One codebook per tensor. */
    TENSOR,
    /** One codebook per layer: names agreeing up to the layer index ({@code encoder.layers.3.}), else per tensor. */
    LAYER,
    /** One codebook for every selected tensor. */
    GLOBAL
}
