package org.mtcompress.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.mtcompress.util.MachineInfo;

/**
 * How a run was produced: code (git commit, dirty flag), config hash, seeds, machine, libraries, data checksums,
 * times, peak memory and status. Written to {@code provenance.json} in every run folder.
 *
 * <p>{@code attempts} lists every process that worked on the run (start, end, status, error); an attempt killed
 * before it could record its end is marked {@code interrupted} when the next one starts. The top-level
 * {@code status}, {@code end_time} and {@code error} describe the last attempt only; {@code start_time} is the
 * first attempt's.
 */
public final class Provenance {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Long> seeds = new TreeMap<>();
    private final Map<String, String> dataChecksums = new TreeMap<>();
    private final List<Map<String, Object>> attempts = new ArrayList<>();
    private final long rootSeed;

    public Provenance(String configHash, long rootSeed, Path projectRoot) {
        this.rootSeed = rootSeed;
        fields.put("config_hash", configHash);
        fields.put("root_seed", rootSeed);
        fields.putAll(git(projectRoot));
        fields.put("machine", MachineInfo.system());
        fields.put("libraries", MachineInfo.libraries());
        fields.put("command", ProcessHandle.current().info().commandLine().orElse("unknown"));
        String now = Instant.now().toString();
        fields.put("start_time", now);
        fields.put("status", "running");
        attempts.add(attempt(now));
    }

    private static Map<String, Object> attempt(String start) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("start", start);
        a.put("end", null);
        a.put("status", "running");
        a.put("error", null);
        return a;
    }

    /** Rebuilds a provenance from its JSON (a resumed run keeps its first start time). */
    @SuppressWarnings("unchecked")
    public static Provenance fromJson(Map<String, Object> json) {
        Object seed = json.getOrDefault("root_seed", 0L);
        Provenance p = new Provenance(String.valueOf(json.get("config_hash")), ((Number) seed).longValue(), null);
        p.fields.clear();
        p.fields.putAll(json);
        Object s = json.get("seeds");
        if (s instanceof Map<?, ?> m) {
            m.forEach((k, v) -> p.seeds.put((String) k, ((Number) v).longValue()));
        }
        Object d = json.get("data_checksums");
        if (d instanceof Map<?, ?> m) {
            m.forEach((k, v) -> p.dataChecksums.put((String) k, (String) v));
        }
        p.attempts.clear();
        Object a = json.get("attempts");
        if (a instanceof List<?> l) {
            l.forEach(x -> p.attempts.add(new LinkedHashMap<>((Map<String, Object>) x)));
        }
        return p;
    }

    /**
     * Starts another attempt (a resumed run): the previous one, if it never recorded its end, was killed and is
     * marked {@code interrupted}; the top-level status becomes {@code running} and the last attempt's end and
     * error are cleared.
     */
    public void beginAttempt() {
        if (!attempts.isEmpty()) {
            Map<String, Object> last = attempts.get(attempts.size() - 1);
            if ("running".equals(last.get("status"))) {
                last.put("status", "interrupted");
            }
        }
        attempts.add(attempt(Instant.now().toString()));
        fields.put("status", "running");
        fields.remove("end_time");
        fields.remove("error");
    }

    /** The attempts so far, oldest first (each: start, end, status, error). */
    public List<Map<String, Object>> attempts() {
        return attempts.stream().map(m -> (Map<String, Object>) new LinkedHashMap<>(m)).toList();
    }

    /** Records a seed derived elsewhere (e.g. a training run's streams), under {@code name}. */
    public void recordSeed(String name, long seed) {
        seeds.put(name, seed);
    }

    /** Records several derived seeds, each under {@code prefix + its name}. */
    public void recordSeeds(String prefix, Map<String, Long> named) {
        named.forEach((k, v) -> seeds.put(prefix + k, v));
    }

    /** Records the sha256 of every data file the run read, by file name. */
    public void addDataChecksums(Map<String, String> files) {
        dataChecksums.putAll(files);
    }

    /** Adds or replaces a free-form field (e.g. {@code "resumed_at"}). */
    public void put(String key, Object value) {
        fields.put(key, value);
    }

    public String status() {
        return String.valueOf(fields.get("status"));
    }

    /** Marks the run ended with {@code status} ("finished" or "failed"), recording end time and peak memory. */
    public void end(String status) {
        end(status, null);
    }

    /**
     * Ends the current attempt with {@code status} and {@code error} (null when there is none): the top-level
     * status, end time and error are this attempt's.
     */
    public void end(String status, String error) {
        String now = Instant.now().toString();
        fields.put("status", status);
        fields.put("end_time", now);
        fields.put("peak_rss_mb", MachineInfo.peakRssMb());
        if (error == null) {
            fields.remove("error");
        } else {
            fields.put("error", error);
        }
        if (attempts.isEmpty()) {
            attempts.add(attempt(String.valueOf(fields.get("start_time"))));
        }
        Map<String, Object> last = attempts.get(attempts.size() - 1);
        last.put("end", now);
        last.put("status", status);
        last.put("error", error);
    }

    /** The JSON content. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        out.put("seeds", new TreeMap<>(seeds));
        out.put("data_checksums", new TreeMap<>(dataChecksums));
        out.put("attempts", attempts());
        out.put("peak_rss_mb", Math.max(MachineInfo.peakRssMb(),
                ((Number) fields.getOrDefault("peak_rss_mb", -1L)).longValue()));
        return out;
    }

    /** git commit, dirty flag; "unknown" where the project is not a git checkout. */
    static Map<String, Object> git(Path projectRoot) {
        Map<String, Object> m = new LinkedHashMap<>();
        String commit = projectRoot == null ? null : run(projectRoot, "git", "rev-parse", "HEAD");
        m.put("git_commit", commit == null ? "unknown" : commit);
        if (commit != null) {
            String status = run(projectRoot, "git", "status", "--porcelain", "--untracked-files=no");
            m.put("git_dirty", status == null ? "unknown" : !status.isBlank());
        } else {
            m.put("git_dirty", "unknown");
        }
        return m;
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
