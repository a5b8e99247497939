/**
 * The Transformer in SameDiff ({@link org.mtcompress.model.Transformer}), its stable fairseq-style parameter names
 * ({@link org.mtcompress.model.ParamSpec}), batched beam-search decoding ({@link org.mtcompress.model.Decoder}) over any
 * {@link org.mtcompress.model.IncrementalModel}
 * and checkpoints ({@link org.mtcompress.model.Checkpoint}); the ops with hand-written derivatives that make a
 * training step faster than M2.1's own ({@link org.mtcompress.model.LinearOp}, {@link org.mtcompress.model.LayerNormOp},
 * {@link org.mtcompress.model.SoftmaxCrossEntropy}, registered through {@link org.mtcompress.model.OpRegistry}) and the
 * training step's memory handling ({@link org.mtcompress.model.EagerRelease}, {@link org.mtcompress.model.ArrayPool});
 * hash embeddings computed from a piece's characters ({@link org.mtcompress.model.HashEmbeddings}), a model
 * component that replaces the embedding table.
 */
package org.mtcompress.model;
