/**
 * Experiment runner ({@link org.mtcompress.experiment.ExperimentRunner}: rows to compute or reuse, the table; the
 * {@code BaselineStore}: content-addressed baselines and prepared data; the
 * {@code VariantRunner}: one row; {@code RunReport}: the
 * table's header and histograms), run folders, provenance, sweep expansion, executors (local, Slurm).
 */
package org.mtcompress.experiment;
