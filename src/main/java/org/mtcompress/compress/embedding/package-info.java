/**
 * Compression of embedding tables on plain arrays: uniform quantization with a clipping threshold chosen by
 * golden-section search (Smallfry), group-wise symmetric intN with a packed table and a fused
 * gather-and-dequantize lookup (as llm-compressor / compressed-tensors quantize weights). Nothing here needs a
 * model or SameDiff.
 */
package org.mtcompress.compress.embedding;
