package org.mtcompress.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.util.MtcException;

/**
 * Finds and loads data set specs: {@code NAME} means {@code configs/data/NAME.yaml} under the working folder, a path
 * ending in {@code .yaml} is read as it is.
 */
public final class DatasetSpecs {
    /** Where data set specs live, relative to the project root (the working folder of {@code ./mtc}). */
    public static final Path CONFIG_DIR = Path.of("configs", "data");

    private DatasetSpecs() {
    }

    /** The spec file for {@code nameOrPath}, or an error listing the known data sets. */
    public static Path locate(String nameOrPath) {
        Path direct = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml")) {
            if (!Files.isRegularFile(direct)) {
                throw new MtcException("data set spec " + direct + " does not exist");
            }
            return direct;
        }
        Path p = CONFIG_DIR.resolve(nameOrPath + ".yaml");
        if (!Files.isRegularFile(p)) {
            throw new MtcException("unknown data set '" + nameOrPath + "' (no " + p + "; known: " + known() + ")");
        }
        return p;
    }

    /** Names of the specs in {@code configs/data}. */
    public static List<String> known() {
        if (!Files.isDirectory(CONFIG_DIR)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(CONFIG_DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public static DatasetSpec load(String nameOrPath) {
        return load(locate(nameOrPath));
    }

    /** Reads one spec file strictly with {@link ConfigLoader}: unknown keys and bad values name the file and line. */
    public static DatasetSpec load(Path file) {
        return ConfigLoader.load(file, List.of(), DatasetSpec.class).value();
    }
}
