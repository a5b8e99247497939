/**
 * Packed inference: a plain-Java incremental decoder ({@link org.mtcompress.infer.PackedModel}) that computes
 * straight from a {@code .mtcz}'s stored tensor forms ({@link org.mtcompress.infer.LinearWeights}: dense fp32,
 * codebook indices, group-wise intN rows, sparse rows), so a compressed model also takes less memory while it
 * translates. Each packed product has a dequantize-then-multiply reference it is tested against.
 */
package org.mtcompress.infer;
