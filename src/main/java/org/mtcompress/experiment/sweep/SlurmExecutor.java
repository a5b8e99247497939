package org.mtcompress.experiment.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;

/**
 * Runs a sweep as Slurm jobs: an optional baseline job, then one array job whose tasks are the pending runs
 * ({@link SlurmScripts}), submitted with {@code --dependency=afterok:<baseline>}. Every submission is recorded in
 * {@code <runs>/.sweep/slurm-state.json} (written atomically) so that {@link #status} can map array tasks back to
 * runs. Idempotent: runs whose folder holds the done file, and runs whose task is still queued or running,
 * are never submitted again; {@link #resubmitFailed} submits only the runs whose last task failed.
 */
public final class SlurmExecutor {
    /** Where a run stands. */
    public enum RunState { DONE, QUEUED, RUNNING, FAILED, NOT_SUBMITTED, UNKNOWN }

    /** One run's state, with its last task id and Slurm's word for it (empty when none). */
    public record RunStatus(String run, RunState state, String taskId, String slurmState) {
    }

    /** One sbatch call. {@code kind} is {@code baseline} or {@code array}; {@code runs} are in array-index order. */
    public record Submission(String kind, String jobId, String script, List<String> runs, String dependsOn,
                             String submittedAt) {
    }

    /** Everything submitted for this sweep so far, oldest first. */
    public record State(List<Submission> submissions) {
        public State {
            submissions = submissions == null ? List.of() : List.copyOf(submissions);
        }
    }

    /** What one submit did. {@code baselineJobId}/{@code arrayJobId} are null when nothing was submitted. */
    public record SubmitResult(String baselineJobId, String arrayJobId, List<String> submitted,
                               List<String> alreadyDone, List<String> alreadyQueued) {
    }

    private static final Set<String> ACTIVE = Set.of("PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD",
            "REQUEUE_FED", "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING", "RESV_DEL_HOLD");
    private static final Set<String> RUNNING = Set.of("RUNNING", "COMPLETING");

    /**
     * The run folder of the baseline job's result in an experiment sweep (the runner's {@code original} row):
     * when it is done, no baseline job is submitted.
     */
    static final String BASELINE_RUN = "original";

    private final Path workDir;
    private final Path runsDir;
    private final Path experiment;
    private final SweepSpec.Settings settings;
    private final SlurmClient client;
    private final String jobName;

    public SlurmExecutor(Path workDir, Path runsDir, Path experiment, SweepSpec.Settings settings, SlurmClient client) {
        this.workDir = workDir.toAbsolutePath();
        this.runsDir = runsDir.toAbsolutePath();
        this.experiment = experiment;
        this.settings = settings;
        this.client = client;
        String stem = experiment.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        this.jobName = "mtc-" + GridExpander.sanitize(stem);
    }

    public Path stateDir() {
        return runsDir.resolve(".sweep");
    }

    public Path stateFile() {
        return stateDir().resolve("slurm-state.json");
    }

    public State state() {
        Path f = stateFile();
        return Files.exists(f) ? Json.readFile(f, State.class) : new State(List.of());
    }

    /** Submits every run that is neither done nor already queued or running. */
    public SubmitResult submit(List<SweepRun> runs) {
        return submitWhere(runs, false);
    }

    /** Submits only the runs whose last task failed (or finished without its done file). */
    public SubmitResult resubmitFailed(List<SweepRun> runs) {
        return submitWhere(runs, true);
    }

    private SubmitResult submitWhere(List<SweepRun> runs, boolean onlyFailed) {
        // one submitter at a time per sweep, so that two concurrent submits cannot queue the same run twice
        try {
            Files.createDirectories(stateDir());
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(stateDir().resolve("submit.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock ignored = ch.lock()) {
                return submitLocked(runs, onlyFailed);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot lock " + stateDir() + ": " + e.getMessage(), e);
        }
    }

    private SubmitResult submitLocked(List<SweepRun> runs, boolean onlyFailed) {
        State state = state();
        Map<String, String> slurm = client.states(jobIds(state));
        List<String> done = new ArrayList<>();
        List<String> queued = new ArrayList<>();
        List<SweepRun> todo = new ArrayList<>();
        for (RunStatus st : statuses(runs, state, slurm)) {
            SweepRun run = runs.stream().filter(r -> r.name().equals(st.run())).findFirst().orElseThrow();
            switch (st.state()) {
                case DONE -> done.add(run.name());
                case QUEUED, RUNNING -> queued.add(run.name());
                case FAILED -> todo.add(run);
                case NOT_SUBMITTED, UNKNOWN -> {
                    if (!onlyFailed) {
                        todo.add(run);
                    }
                }
            }
        }
        if (todo.isEmpty()) {
            return new SubmitResult(null, null, List.of(), done, queued);
        }
        List<Submission> subs = new ArrayList<>(state.submissions());
        String dependency = null;
        String baselineJob = null;
        boolean baselineDone = SweepSpec.isDone(runsDir.resolve(BASELINE_RUN), settings.doneFile(), null);
        if (settings.baselineCommand() != null && !settings.baselineCommand().isEmpty() && !baselineDone) {
            Submission last = lastOfKind(subs, "baseline");
            String s = last == null ? null : slurm.get(last.jobId());
            if (last != null && s != null && (ACTIVE.contains(s) || RUNNING.contains(s))) {
                dependency = last.jobId();
            } else if (last == null || !"COMPLETED".equals(s)) {
                Path script = writeScript("baseline-" + subs.size() + ".sbatch",
                        SlurmScripts.baselineScript(jobName + "-baseline", settings.slurm(),
                                new RunCommand(settings.baselineCommand()), workDir, runsDir, experiment, logDir()));
                baselineJob = client.submit(script, null);
                dependency = baselineJob;
                subs.add(new Submission("baseline", baselineJob, script.toString(), List.of(), null,
                        Instant.now().toString()));
                save(new State(subs));
            }
        }
        Path script = writeScript("array-" + subs.size() + ".sbatch",
                SlurmScripts.arrayScript(jobName, settings.slurm(), todo, new RunCommand(settings.command()),
                        workDir, runsDir, experiment, settings.doneFile(), logDir()));
        String arrayJob = client.submit(script, dependency);
        subs.add(new Submission("array", arrayJob, script.toString(), todo.stream().map(SweepRun::name).toList(),
                dependency, Instant.now().toString()));
        save(new State(subs));
        return new SubmitResult(baselineJob, arrayJob, todo.stream().map(SweepRun::name).toList(), done, queued);
    }

    /**
     * Writes the array script that a submit would write for the runs not done yet, without asking Slurm
     * anything (so queued runs are included); returns its path, or null when every run is done.
     */
    public Path preview(List<SweepRun> runs) {
        List<SweepRun> todo = runs.stream()
                .filter(r -> !SweepSpec.isDone(runsDir, r, settings.doneFile())).toList();
        if (todo.isEmpty()) {
            return null;
        }
        return writeScript("array-preview.sbatch", SlurmScripts.arrayScript(jobName, settings.slurm(), todo,
                new RunCommand(settings.command()), workDir, runsDir, experiment, settings.doneFile(), logDir()));
    }

    /** Where each run stands, from the done files, the state file, squeue and sacct. */
    public List<RunStatus> status(List<SweepRun> runs) {
        State state = state();
        return statuses(runs, state, client.states(jobIds(state)));
    }

    /** Where the baseline job stands: its id and Slurm state, or null if none was submitted. */
    public String[] baselineStatus() {
        Submission last = lastOfKind(state().submissions(), "baseline");
        if (last == null) {
            return null;
        }
        String s = client.states(List.of(last.jobId())).get(last.jobId());
        return new String[] {last.jobId(), s == null ? "UNKNOWN" : s};
    }

    /** Pure: combines done files, the recorded submissions and Slurm's states. */
    List<RunStatus> statuses(List<SweepRun> runs, State state, Map<String, String> slurm) {
        Map<String, String> lastTask = new HashMap<>();
        for (Submission s : state.submissions()) {
            if (s.kind().equals("array")) {
                for (int i = 0; i < s.runs().size(); i++) {
                    lastTask.put(s.runs().get(i), s.jobId() + "_" + i);
                }
            }
        }
        List<RunStatus> out = new ArrayList<>();
        for (SweepRun run : runs) {
            String task = lastTask.get(run.name());
            String s = task == null ? null : slurm.get(task);
            RunState rs;
            if (SweepSpec.isDone(runsDir, run, settings.doneFile())) {
                rs = RunState.DONE;
            } else if (task == null) {
                rs = RunState.NOT_SUBMITTED;
            } else if (s == null) {
                rs = RunState.UNKNOWN;
            } else if (ACTIVE.contains(s)) {
                rs = RunState.QUEUED;
            } else if (RUNNING.contains(s)) {
                rs = RunState.RUNNING;
            } else {
                rs = RunState.FAILED; // FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, or COMPLETED without the done file
            }
            out.add(new RunStatus(run.name(), rs, task == null ? "" : task, s == null ? "" : s));
        }
        return out;
    }

    private static Set<String> jobIds(State state) {
        Set<String> ids = new LinkedHashSet<>();
        state.submissions().forEach(s -> ids.add(s.jobId()));
        return ids;
    }

    private static Submission lastOfKind(List<Submission> subs, String kind) {
        Submission last = null;
        for (Submission s : subs) {
            if (s.kind().equals(kind)) {
                last = s;
            }
        }
        return last;
    }

    private Path logDir() {
        return stateDir().resolve("logs");
    }

    private Path writeScript(String name, String content) {
        try {
            Files.createDirectories(logDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path p = stateDir().resolve(name);
        AtomicFiles.writeString(p, content);
        p.toFile().setExecutable(true);
        return p;
    }

    private void save(State state) {
        Json.writeFile(stateFile(), state);
    }
}
