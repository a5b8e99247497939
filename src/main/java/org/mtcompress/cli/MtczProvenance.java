package org.mtcompress.cli;

import org.mtcompress.experiment.Provenance;
import org.mtcompress.util.Hashing;
import org.mtcompress.util.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provenance a {@code .mtcz} carries: the source file's sha256, the config hash and commit of the run that
 * trained it (from the run folder's {@code provenance.json} beside the checkpoint, "unknown" elsewhere), and the
 * commit of the code that wrote the {@code .mtcz}. A {@code .mtcz} made from another keeps the source's
 * provenance under {@code previous}.
 */
final class MtczProvenance {
    private MtczProvenance() {
    }

    static Map<String, Object> of(Path source, Map<String, Object> previous) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", source.getFileName().toString());
        p.put("source_sha256", Hashing.sha256Hex(source));
        Map<String, Object> run = runProvenance(source);
        p.put("source_config_hash", String.valueOf(run.getOrDefault("config_hash", "unknown")));
        p.put("source_git_commit", String.valueOf(run.getOrDefault("git_commit", "unknown")));
        Map<String, Object> here = new Provenance("", 0, Path.of("").toAbsolutePath()).toJson();
        p.put("git_commit", here.get("git_commit"));
        p.put("git_dirty", here.get("git_dirty"));
        p.put("created", Instant.now().toString());
        if (previous != null) {
            p.put("previous", previous);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> runProvenance(Path source) {
        Path f = source.toAbsolutePath().getParent().resolve("provenance.json");
        if (!Files.isRegularFile(f)) {
            return Map.of();
        }
        try {
            return Json.readFile(f, Map.class);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
