package org.mtcompress.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.mtcompress.util.MachineInfo;
import org.mtcompress.util.Seeds;

/**
 * How a run was produced: code (git commit, dirty flag), config hash, seeds, machine, libraries, data checksums,
 * times, peak memory and status. Written to {@code provenance.json} in every run folder.
 */
public final class Provenance {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Long> seeds = new TreeMap<>();
    private final Map<String, String> dataChecksums = new TreeMap<>();
    private final long rootSeed;

    public Provenance(String configHash, long rootSeed, Path projectRoot) {
        this.rootSeed = rootSeed;
        fields.put("config_hash", configHash);
        fields.put("root_seed", rootSeed);
        fields.putAll(git(projectRoot));
        fields.put("machine", MachineInfo.system());
        fields.put("libraries", MachineInfo.libraries());
        fields.put("command", ProcessHandle.current().info().commandLine().orElse("unknown"));
        fields.put("start_time", Instant.now().toString());
        fields.put("status", "running");
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
        return p;
    }

    /** The seed of {@code component}, recorded under that name. */
    public long deriveSeed(String component) {
        long s = Seeds.derive(rootSeed, component);
        seeds.put(component, s);
        return s;
    }

    /** Records the sha256 of a data file the run read. */
    public void addDataChecksum(String file, String sha256) {
        dataChecksums.put(file, sha256);
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
        fields.put("status", status);
        fields.put("end_time", Instant.now().toString());
        fields.put("peak_rss_mb", MachineInfo.peakRssMb());
    }

    /** The JSON content. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>(fields);
        out.put("seeds", new TreeMap<>(seeds));
        out.put("data_checksums", new TreeMap<>(dataChecksums));
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
