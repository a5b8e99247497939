package org.mtcompress.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code use: NAME} inside a {@link ChosenBy} mapping: the preset file {@code <folder>/NAME.yaml} (with its
 * {@code extends:}), with the mapping's other keys merged over it. The folder is looked for above the file that
 * says {@code use:} (so {@code experiments/x.yaml} finds {@code configs/compress/}), else above the working
 * directory.
 */
final class Presets {
    static final String USE = "use";

    private Presets() {
    }

    static ConfigNode.Mapping expand(ConfigNode.Mapping m, String folder, String key) {
        ConfigNode.Entry use = m.entries().get(USE);
        if (use == null || folder.isEmpty()) {
            return m;
        }
        String path = key.isEmpty() ? USE : key + "." + USE;
        if (!(use.value() instanceof ConfigNode.Scalar s) || s.value() == null
                || !s.value().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ConfigException(use.keySource(), "key '" + path + "': expected a preset name (a file in "
                    + folder + "/ without .yaml)");
        }
        Path dir = findFolder(folder, use.keySource());
        if (dir == null) {
            throw new ConfigException(use.keySource(), "key '" + path + "': no " + folder + "/ folder above "
                    + start(use.keySource()));
        }
        Path file = dir.resolve(s.value() + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(use.keySource(), "key '" + path + "': no preset '" + s.value() + "' in "
                    + YamlReader.display(dir) + " (known: " + String.join(", ", known(dir)) + ")");
        }
        ConfigNode preset = YamlReader.readWithExtends(file);
        Map<String, ConfigNode.Entry> rest = new LinkedHashMap<>(m.entries());
        rest.remove(USE);
        ConfigNode merged = ConfigNode.merge(preset, new ConfigNode.Mapping(rest, m.source()));
        if (!(merged instanceof ConfigNode.Mapping out)) {
            throw new ConfigException(preset.source(), "preset " + YamlReader.display(file) + " is not a mapping");
        }
        return out;
    }

    private static Path start(Source where) {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            Path f = Path.of(where.origin());
            if (Files.isRegularFile(f)) {
                return f.toAbsolutePath().normalize().getParent();
            }
        } catch (java.nio.file.InvalidPathException ignored) {
            // an override or a default: not a file
        }
        return cwd;
    }

    /** The folder above the file that says {@code use:}, else above the working directory. */
    private static Path findFolder(String folder, Source where) {
        Path found = findAbove(folder, start(where));
        return found != null ? found : findAbove(folder, Path.of("").toAbsolutePath());
    }

    private static Path findAbove(String folder, Path start) {
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve(folder);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<String> known(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
