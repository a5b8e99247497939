/**
 * The training loop the project owns ({@link org.mtcompress.train.Trainer}: gradients from SameDiff, global-norm
 * clipping, our own Adam with the inverse-square-root warm-up, hooks after each optimizer step), and one whole
 * baseline run ({@link org.mtcompress.train.TrainRun}: data, training, decoding, metrics.json). Retraining after
 * compression runs through {@link org.mtcompress.train.Retrainer} with the compressor's state as a
 * {@link org.mtcompress.train.TrainingHook}: training never imports compression.
 */
package org.mtcompress.train;
