/**
 * The Transformer in SameDiff ({@link org.mtcompress.model.Transformer}), its stable fairseq-style parameter names
 * ({@link org.mtcompress.model.ParamSpec}), batched beam-search decoding ({@link org.mtcompress.model.Decoder})
 * and checkpoints ({@link org.mtcompress.model.Checkpoint}).
 */
package org.mtcompress.model;
