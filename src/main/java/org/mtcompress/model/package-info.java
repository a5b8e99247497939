/**
 * The Transformer in SameDiff: {@link org.mtcompress.model.Transformer}, the facade callers use, over parts with one
 * job each: the graphs ({@link org.mtcompress.model.GraphBuilder}), the embedding lookups outside the graph and the
 * table's gradient ({@link org.mtcompress.model.Embeddings}; hash embeddings computed from a piece's characters,
 * {@link org.mtcompress.model.HashEmbeddings}, replace the table), a batch's placeholders
 * ({@link org.mtcompress.model.Feeds}), the dropout stream ({@link org.mtcompress.model.DropoutMasks}) and the training
 * step's memory ({@link org.mtcompress.model.TrainingMemory} with {@link org.mtcompress.model.EagerRelease} and
 * {@link org.mtcompress.model.ArrayPool}). Also here: the stable fairseq-style parameter names
 * ({@link org.mtcompress.model.ParamSpec}), batched beam-search decoding ({@link org.mtcompress.model.Decoder}) over any
 * {@link org.mtcompress.model.IncrementalModel}, checkpoints ({@link org.mtcompress.model.Checkpoint}) and the ops
 * with hand-written derivatives that make a training step faster than M2.1's own
 * ({@link org.mtcompress.model.LinearOp}, {@link org.mtcompress.model.LayerNormOp},
 * {@link org.mtcompress.model.SoftmaxCrossEntropy}, registered through {@link org.mtcompress.model.OpRegistry}).
 */
package org.mtcompress.model;
