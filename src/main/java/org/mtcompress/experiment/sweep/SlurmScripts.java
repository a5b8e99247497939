package org.mtcompress.experiment.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes the sbatch scripts of a sweep (pure text, so tests can read them without Slurm).
 *
 * <p>The array script holds one {@code case} branch per array index with that run's name and command line,
 * so it needs no other file. Each task: skips its run if the done file is already there (a requeued or
 * resubmitted task after success), sets the thread limits to {@code SLURM_CPUS_PER_TASK}, runs the command with
 * its output appended to {@code sweep.log} in the run folder, and fails if the command did not leave the done
 * file. Slurm's own output goes to {@code logs/} beside the script.
 */
public final class SlurmScripts {
    private SlurmScripts() {
    }

    /** The array script: index {@code i} runs {@code runs.get(i)}. */
    public static String arrayScript(String jobName, SlurmConfig res, List<SweepRun> runs, RunCommand command,
                                     Path workDir, Path runsDir, Path experiment, String doneFile, Path logDir) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("an array job needs at least one run");
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(jobName).append('\n');
        s.append("#SBATCH --array=0-").append(runs.size() - 1);
        if (res.throttle() > 0) {
            s.append('%').append(res.throttle());
        }
        s.append('\n');
        s.append("#SBATCH --output=").append(logDir).append("/%x-%A_%a.out\n");
        s.append("#SBATCH --open-mode=append\n"); // a requeued (preempted) task adds to its log
        s.append("#SBATCH --requeue\n"); // a preempted task runs again and the runner resumes from its checkpoint
        resources(s, res);
        s.append("# ").append(runs.size()).append(" runs of ").append(experiment).append('\n');
        s.append("set -euo pipefail\n");
        s.append("cd ").append(quote(workDir.toString())).append('\n');
        threads(s);
        s.append("case \"${SLURM_ARRAY_TASK_ID:?not an array task}\" in\n");
        for (int i = 0; i < runs.size(); i++) {
            SweepRun run = runs.get(i);
            Path dir = runsDir.resolve(run.name());
            s.append("  ").append(i).append(") RUN=").append(quote(run.name()));
            if (run.configHash() != null) {
                s.append("; HASH=").append(quote(run.configHash()));
            }
            s.append("; set -- ").append(words(command.resolve(run, dir, experiment))).append(" ;;\n");
        }
        s.append("  *) echo \"no run for array index $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\n");
        s.append("esac\n");
        s.append("RUN_DIR=").append(quote(runsDir.toString())).append("/\"$RUN\"\n");
        s.append("TASK=\"${SLURM_ARRAY_JOB_ID:-local}_${SLURM_ARRAY_TASK_ID}\"\n");
        body(s, doneFile, runsDir, experiment);
        return s.toString();
    }

    /** The baseline job: one task running {@code command} (placeholders resolved for a run named baseline). */
    public static String baselineScript(String jobName, SlurmConfig res, RunCommand command, Path workDir,
                                        Path runsDir, Path experiment, Path logDir) {
        SweepRun baseline = new SweepRun("baseline", List.of());
        Path dir = runsDir.resolve(".sweep").resolve("baseline");
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(jobName).append('\n');
        s.append("#SBATCH --output=").append(logDir).append("/%x-%j.out\n");
        resources(s, res);
        s.append("set -euo pipefail\n");
        s.append("cd ").append(quote(workDir.toString())).append('\n');
        threads(s);
        s.append("echo \"== $(date -u +%FT%TZ) baseline job ${SLURM_JOB_ID:-local} on $(hostname)\"\n");
        s.append("exec ").append(words(command.resolve(baseline, dir, experiment))).append('\n');
        return s.toString();
    }

    private static void resources(StringBuilder s, SlurmConfig res) {
        if (res.partition() != null) {
            s.append("#SBATCH --partition=").append(res.partition()).append('\n');
        }
        if (res.time() != null) {
            s.append("#SBATCH --time=").append(res.time()).append('\n');
        }
        if (res.mem() != null) {
            s.append("#SBATCH --mem=").append(res.mem()).append('\n');
        }
        s.append("#SBATCH --cpus-per-task=").append(res.cpusPerTask()).append('\n');
        if (res.gpus() > 0) {
            s.append("#SBATCH --gres=gpu:").append(res.gpus()).append('\n');
        }
        for (String line : res.extra()) {
            String l = line.strip();
            s.append(l.startsWith("#SBATCH") ? l : "#SBATCH " + l).append('\n');
        }
    }

    private static void threads(StringBuilder s) {
        s.append("THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
        s.append("export OMP_NUM_THREADS=\"$THREADS\" OPENBLAS_NUM_THREADS=\"$THREADS\" MKL_NUM_THREADS=\"$THREADS\""
                + " MTC_THREADS=\"$THREADS\"\n");
    }

    private static void body(StringBuilder s, String doneFile, Path runsDir, Path experiment) {
        // done: the done file, and (for an experiment runner's folder) provenance saying finished, since a failed
        // row writes metrics.json too, and, for a row with a config hash, that hash (SweepSpec.isDone)
        String prov = "\"$RUN_DIR/" + SweepSpec.PROVENANCE + "\"";
        s.append("done_ok() { [ -e \"$RUN_DIR\"/").append(quote(doneFile)).append(" ] && { [ ! -e ").append(prov)
                .append(" ] || grep -q '\"status\" *: *\"finished\"' ").append(prov).append("; } && { [ -z \"${HASH:-}\" ] ")
                .append("|| grep -q \"\\\"config_hash\\\" *: *\\\"$HASH\\\"\" ").append(prov).append(" 2>/dev/null; }; }\n");
        s.append("mkdir -p \"$RUN_DIR\"\n");
        s.append("if done_ok; then\n");
        s.append("  echo \"$RUN: already done\"\n");
        s.append("  exit 0\n");
        s.append("fi\n");
        s.append("export MTC_RUN_NAME=\"$RUN\" MTC_RUN_DIR=\"$RUN_DIR\" MTC_EXPERIMENT=")
                .append(quote(experiment.toString())).append('\n');
        s.append("echo \"== $(date -u +%FT%TZ) task $TASK on $(hostname): $*\" >>\"$RUN_DIR/")
                .append(LocalExecutor.LOG).append("\"\n");
        s.append("status=0\n");
        s.append("\"$@\" >>\"$RUN_DIR/").append(LocalExecutor.LOG).append("\" 2>&1 || status=$?\n");
        s.append("if [ \"$status\" -ne 0 ]; then\n");
        s.append("  echo \"$RUN: exit code $status, see $RUN_DIR/").append(LocalExecutor.LOG).append("\" >&2\n");
        s.append("  exit \"$status\"\n");
        s.append("fi\n");
        s.append("if ! done_ok; then\n");
        s.append("  echo \"$RUN: finished without writing ").append(doneFile).append("\" >&2\n");
        s.append("  exit 3\n");
        s.append("fi\n");
        s.append("echo \"$RUN: done\"\n");
    }

    /** The arguments as one line of shell words. */
    static String words(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(a));
        }
        return b.toString();
    }

    /** A single-quoted shell word ({@code '} written as {@code '\''}). */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
