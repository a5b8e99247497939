package org.mtcompress.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.mtcompress.util.MtcException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Finds and loads data set specs: {@code NAME} means {@code configs/data/NAME.yaml} under the working folder, a path
 * ending in {@code .yaml} is read as it is.
 */
public final class DatasetSpecs {
    /** Where data set specs live, relative to the project root (the working folder of {@code ./mtc}). */
    public static final Path CONFIG_DIR = Path.of("configs", "data");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

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

    /** Reads one spec file strictly: unknown keys and bad values are errors naming the file. */
    public static DatasetSpec load(Path file) {
        Object tree;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new MtcException("cannot read data set spec " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MtcException(file + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
        }
        try {
            return MAPPER.convertValue(tree, DatasetSpec.class);
        } catch (IllegalArgumentException e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            throw new MtcException(file + ": " + msg.lines().findFirst().orElse(msg), e);
        }
    }
}
