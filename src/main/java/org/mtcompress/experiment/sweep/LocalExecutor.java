package org.mtcompress.experiment.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.mtcompress.util.Json;

/**
 * Runs the runs of a sweep on this machine, {@code parallel} at a time, each as its own process. Each process
 * gets {@code max(1, cores / parallel)} threads through the usual variables ({@link RunCommand#threadLimits})
 * so that the runs together do not oversubscribe the cores. A run whose folder holds the done file is skipped;
 * a run's output goes to {@code sweep.log} in its folder and its outcome to {@code sweep-status.json}; {@code progress} (may be null) gets one line per start and end; a
 * failed run is recorded and the others go on.
 */
public final class LocalExecutor {
    /** What happened to one run. */
    public enum Status { DONE, SKIPPED, FAILED }

    /** One run's outcome; {@code exitCode} is -1 when the process did not start or was skipped. */
    public record Outcome(String run, Status status, int exitCode, double seconds, String message) {
    }

    public static final String LOG = "sweep.log";
    public static final String STATUS = "sweep-status.json";

    private final Path workDir;
    private final Path runsDir;
    private final Path experiment;
    private final RunCommand command;
    private final String doneFile;
    private final int parallel;
    private final int threads;
    private final Consumer<String> progress;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicLong busyNanos = new AtomicLong();
    private int todo;

    public LocalExecutor(Path workDir, Path runsDir, Path experiment, RunCommand command, String doneFile,
                         int parallel, int cores, Consumer<String> progress) {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        }
        this.workDir = workDir;
        this.runsDir = runsDir;
        this.experiment = experiment;
        this.command = command;
        this.doneFile = doneFile;
        this.parallel = parallel;
        this.threads = threadsPerRun(cores, parallel);
        this.progress = progress;
    }

    /** Threads for each of {@code parallel} runs sharing {@code cores} cores. */
    public static int threadsPerRun(int cores, int parallel) {
        return Math.max(1, cores / parallel);
    }

    public int threads() {
        return threads;
    }

    /** Runs every run that is not finished yet; returns one outcome per run, in the order given. */
    public List<Outcome> run(List<SweepRun> runs) {
        todo = (int) runs.stream().filter(r -> !SweepSpec.isDone(runsDir, r, doneFile)).count();
        finished.set(0);
        busyNanos.set(0);
        // if this JVM is stopped (Ctrl-C), its runs stop too instead of going on unwatched
        Thread killer = new Thread(() -> live.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(killer);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (SweepRun run : runs) {
                futures.add(pool.submit(() -> runOne(run)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("sweep worker failed", e.getCause());
                }
            }
            return outcomes;
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the sweep", e);
        } finally {
            pool.shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private Outcome runOne(SweepRun run) throws InterruptedException {
        Path dir = runsDir.resolve(run.name());
        if (SweepSpec.isDone(runsDir, run, doneFile)) {
            say(run.name() + ": already done, skipped");
            return new Outcome(run.name(), Status.SKIPPED, -1, 0, "already done");
        }
        List<String> cmd = command.resolve(run, dir, experiment);
        long start = System.nanoTime();
        Outcome outcome;
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve(LOG);
            Files.writeString(log, "== " + Instant.now() + " " + String.join(" ", cmd) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(RunCommand.environment(run, dir, experiment, threads));
            say(run.name() + ": started (" + threads + " threads)");
            Process process = pb.start();
            live.add(process);
            int code;
            try {
                code = process.waitFor();
            } finally {
                live.remove(process);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                outcome = new Outcome(run.name(), Status.FAILED, code, secs, "exit code " + code + ", see " + log);
            } else if (!SweepSpec.isDone(runsDir, run, doneFile)) {
                outcome = new Outcome(run.name(), Status.FAILED, code, secs,
                        "finished without writing " + doneFile + ", see " + log);
            } else {
                outcome = new Outcome(run.name(), Status.DONE, 0, secs, "");
            }
        } catch (IOException e) {
            outcome = new Outcome(run.name(), Status.FAILED, -1, (System.nanoTime() - start) / 1e9,
                    "cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
        writeStatus(dir, cmd, outcome);
        int n = finished.incrementAndGet();
        long busy = busyNanos.addAndGet(System.nanoTime() - start);
        say(String.format("[%d/%d] %s: %s in %.1f s%s%s", n, todo, run.name(),
                outcome.status().name().toLowerCase(), outcome.seconds(),
                outcome.message().isEmpty() ? "" : " (" + outcome.message() + ")", eta(n, busy)));
        return outcome;
    }

    /** Remaining time if the runs left take as long as the finished ones did on average, {@code parallel} at a time. */
    private String eta(int done, long busyNanos) {
        int left = todo - done;
        if (left <= 0) {
            return "";
        }
        double seconds = busyNanos / 1e9 / done * Math.ceil((double) left / parallel);
        return String.format(", about %s left", seconds < 90 ? Math.round(seconds) + " s"
                : seconds < 5400 ? Math.round(seconds / 60) + " min" : String.format("%.1f h", seconds / 3600));
    }

    private void writeStatus(Path dir, List<String> cmd, Outcome o) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("run", o.run());
        status.put("status", o.status().name());
        status.put("exit_code", o.exitCode());
        status.put("seconds", o.seconds());
        status.put("message", o.message());
        status.put("command", cmd);
        status.put("threads", threads);
        status.put("finished_at", Instant.now().toString());
        try {
            Json.writeFile(dir.resolve(STATUS), status);
        } catch (UncheckedIOException e) {
            say(o.run() + ": cannot write " + STATUS + ": " + e.getMessage());
        }
    }

    private void say(String line) {
        if (progress != null) {
            synchronized (progress) {
                progress.accept(line);
            }
        }
    }
}
