package org.mtcompress.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;

/**
 * One run's folder, {@code <results>/runs/<experiment>/<run>/}: {@code config.yaml} (resolved),
 * {@code provenance.json}, {@code metrics.json}, {@code log.txt}, and whatever the run adds (checkpoints).
 * Every file is written atomically. A finished run is never overwritten; an unfinished one with the same
 * config hash is reopened to resume; one with a different config hash is refused.
 */
public final class RunFolder {
    public static final String CONFIG = "config.yaml";
    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS = "metrics.json";
    public static final String LOG = "log.txt";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._=,+-]*";

    private final Path dir;
    private final Provenance provenance;
    private final boolean resumed;
    private final StringBuilder log = new StringBuilder();

    private RunFolder(Path dir, Provenance provenance, boolean resumed) {
        this.dir = dir;
        this.provenance = provenance;
        this.resumed = resumed;
    }

    /** The folder of run {@code run} of {@code experiment} under {@code resultsRoot}. */
    public static Path pathOf(Path resultsRoot, String experiment, String run) {
        checkName("experiment", experiment);
        checkName("run", run);
        return resultsRoot.resolve("runs").resolve(experiment).resolve(run);
    }

    /**
     * Creates the run folder, or reopens an unfinished one for resuming.
     *
     * @throws MtcException when the run is already finished, or was started with another config
     */
    public static RunFolder open(Path resultsRoot, String experiment, String run, ConfigLoader.Loaded<?> config,
                                 long rootSeed, Path projectRoot) {
        return open(pathOf(resultsRoot, experiment, run), experiment + "/" + run, config, rootSeed, projectRoot);
    }

    /**
     * Creates the run folder {@code dir} (named {@code label} in its log), or reopens an unfinished one for resuming.
     *
     * @throws MtcException when the run is already finished, or was started with another config
     */
    public static RunFolder open(Path dir, String label, ConfigLoader.Loaded<?> config, long rootSeed, Path projectRoot) {
        Path prov = dir.resolve(PROVENANCE);
        if (Files.exists(prov)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = Json.readFile(prov, Map.class);
            Provenance p = Provenance.fromJson(json);
            if ("finished".equals(p.status())) {
                throw new MtcException("run " + dir + " is already finished; a finished run is never overwritten "
                        + "(choose another run name or delete the folder)");
            }
            if (!config.hash().equals(json.get("config_hash"))) {
                throw new MtcException("run " + dir + " was started with config hash " + json.get("config_hash")
                        + " but the config now hashes to " + config.hash() + "; choose another run name");
            }
            RunFolder folder = new RunFolder(dir, p, true);
            folder.loadLog();
            @SuppressWarnings("unchecked")
            List<Object> resumes = new ArrayList<>((List<Object>) json.getOrDefault("resumed_at", List.of()));
            resumes.add(Instant.now().toString());
            p.put("resumed_at", resumes);
            p.beginAttempt();
            folder.saveProvenance();
            folder.log("resumed");
            return folder;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MtcException("cannot create run folder " + dir + ": " + e.getMessage(), e);
        }
        RunFolder folder = new RunFolder(dir, new Provenance(config.hash(), rootSeed, projectRoot), false);
        AtomicFiles.writeString(dir.resolve(CONFIG), "# resolved config, hash " + config.hash() + "\n" + config.toYaml());
        folder.saveProvenance();
        folder.log("started run " + label + " (config " + config.shortHash() + ")");
        return folder;
    }

    /** True when {@code dir} holds a run that finished. */
    public static boolean isFinished(Path dir) {
        Path prov = dir.resolve(PROVENANCE);
        if (!Files.exists(prov)) {
            return false;
        }
        return "finished".equals(Json.readFile(prov, Map.class).get("status"));
    }

    /** The config hash a run folder was started with (null without provenance). */
    public static String configHash(Path dir) {
        Path prov = dir.resolve(PROVENANCE);
        if (!Files.exists(prov)) {
            return null;
        }
        Object h = Json.readFile(prov, Map.class).get("config_hash");
        return h == null ? null : h.toString();
    }

    public Path dir() {
        return dir;
    }

    public boolean resumed() {
        return resumed;
    }

    public Provenance provenance() {
        return provenance;
    }

    public void saveProvenance() {
        Json.writeFile(dir.resolve(PROVENANCE), provenance.toJson());
    }

    /** Writes {@code metrics.json} atomically (call as often as there is something new). */
    public void writeMetrics(Map<String, ?> metrics) {
        Json.writeFile(dir.resolve(METRICS), metrics);
    }

    /**
     * Appends a time-stamped line to {@code log.txt}. The whole log is rewritten atomically each time, so the
     * file on disk is always a complete prefix of the run's log; logs are small (lines per validation, not per step).
     */
    public synchronized void log(String line) {
        log.append(Instant.now()).append("  ").append(line).append('\n');
        AtomicFiles.writeString(dir.resolve(LOG), log.toString());
    }

    /** Marks the run finished: it will never be overwritten. */
    public void finish() {
        provenance.end("finished");
        saveProvenance();
        log("finished");
    }

    /** Marks the run failed with the error's message (it may be resumed). */
    public void fail(Throwable error) {
        provenance.end("failed", String.valueOf(error.getMessage() == null ? error : error.getMessage()));
        saveProvenance();
        log("failed: " + error);
    }

    private void loadLog() {
        Path p = dir.resolve(LOG);
        if (Files.exists(p)) {
            try {
                log.append(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void checkName(String what, String name) {
        if (name == null || !name.matches(NAME)) {
            throw new MtcException(what + " name '" + name + "' is not usable as a folder name (letters, digits, . _ = , + -)");
        }
    }
}
