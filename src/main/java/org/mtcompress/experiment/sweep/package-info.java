/**
 * Sweeps: expansion of {@code grid:} / {@code zip:} into named runs, and the executors that run each one as a
 * command line, locally ({@link org.mtcompress.experiment.sweep.LocalExecutor}) or as a Slurm array job
 * ({@link org.mtcompress.experiment.sweep.SlurmExecutor}). A run is finished when its folder holds the done file
 * (by default {@code metrics.json}); finished runs are never started again.
 */
package org.mtcompress.experiment.sweep;
