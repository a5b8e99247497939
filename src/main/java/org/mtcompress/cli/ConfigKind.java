package org.mtcompress.cli;

import org.mtcompress.config.RunConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.mtcompress.util.MtcException;

/**
 * The kinds of config file the project has, each bound to its record type. {@code mtc config show} uses it to
 * load a file by kind (given, or guessed from its top-level keys).
 */
enum ConfigKind {
    RUN(RunConfig.class, "a run: data, model, training"),
    EXPERIMENT(org.mtcompress.experiment.ExperimentConfig.class, "an experiment: a baseline and compression variants"),
    DATASET(org.mtcompress.data.DatasetSpec.class, "a data set: splits, files, URLs, checksums"),
    COMPRESSOR(org.mtcompress.compress.CompressorSpec.class, "a compressor preset: name, bits, scope, settings");

    private final Class<?> type;
    private final String description;

    ConfigKind(Class<?> type, String description) {
        this.type = type;
        this.description = description;
    }

    public Class<?> type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** The kind named {@code name}, or an error listing the known kinds. */
    public static ConfigKind named(String name) {
        for (ConfigKind k : values()) {
            if (k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new MtcException("unknown config kind '" + name + "' (known: "
                + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
    }

    /** Guesses the kind of {@code file} from where it lives and its top-level keys. */
    public static ConfigKind guess(Path file) {
        String name = file.toAbsolutePath().normalize().toString();
        if (name.contains("/experiments/")) {
            return EXPERIMENT;
        }
        if (name.contains("/configs/data/")) {
            return DATASET;
        }
        if (name.contains("/configs/compress/")) {
            return COMPRESSOR;
        }
        return RUN;
    }
}
