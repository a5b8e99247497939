/**
 * The training loop the project owns ({@link org.mtcompress.train.Trainer}: gradients from SameDiff, global-norm
 * clipping, our own Adam with the inverse-square-root warm-up, hooks after each optimizer step), and one whole
 * baseline run ({@link org.mtcompress.train.TrainRun}: data, training, decoding, metrics.json).
 */
package org.mtcompress.train;
