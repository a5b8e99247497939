package org.mtcompress.experiment.sweep;

import java.util.List;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Resources of each Slurm array task (and of the baseline job), section {@code sweep.slurm}. */
@Doc("Slurm resources for each run of a sweep")
public record SlurmConfig(
        @Doc("partition (sbatch --partition); absent: the cluster's default") @Default("~") String partition,
        @Doc("wall-clock limit per run, Slurm syntax such as 04:00:00; absent: the partition's") @Default("~") String time,
        @Doc("memory per run, Slurm syntax such as 16G; absent: the partition's default") @Default("~") String mem,
        @Doc("CPU cores per run; the run's thread count follows it") @Default("1") @Range(min = 1, max = 1024) int cpusPerTask,
        @Doc("GPUs per run (sbatch --gres=gpu:N); 0 for CPU runs") @Default("0") @Range(min = 0, max = 64) int gpus,
        @Doc("at most this many runs at a time (the % of --array); 0: no limit") @Default("0") @Range(min = 0, max = 100000) int throttle,
        @Doc("more sbatch options, one per line, e.g. --account=abc or '#SBATCH --qos=low'") @Default("[]") List<String> extra) {

    public SlurmConfig {
        extra = extra == null ? List.of() : List.copyOf(extra);
        if (cpusPerTask < 1) {
            throw new IllegalArgumentException("sweep.slurm.cpus_per_task must be at least 1, got " + cpusPerTask);
        }
        if (gpus < 0) {
            throw new IllegalArgumentException("sweep.slurm.gpus must not be negative, got " + gpus);
        }
        if (throttle < 0) {
            throw new IllegalArgumentException("sweep.slurm.throttle must not be negative, got " + throttle);
        }
    }

    /** All defaults: one CPU, no GPU, no throttle, the cluster's default partition. */
    public static SlurmConfig defaults() {
        return new SlurmConfig(null, null, null, 1, 0, 0, List.of());
    }
}
