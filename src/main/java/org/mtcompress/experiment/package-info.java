/** Experiment runner, run folders, provenance, sweep expansion, executors (local, Slurm). */
package org.mtcompress.experiment;
