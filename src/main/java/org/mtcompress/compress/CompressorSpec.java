package org.mtcompress.compress;

import org.mtcompress.config.ChosenBy;
import org.mtcompress.config.ConfigLoader;

/**
 * One compression stage's settings: which compressor, on which parameters, with that compressor's own settings.
 * Each compressor family declares its own record implementing this interface (its keys, types, ranges and
 * defaults), registered beside its factory in {@link CompressorRegistry}; the config loader binds a compressor
 * section to the record its {@code name:} chooses, so a key the compressor does not have, or a value out of its
 * range, is an error when the file is loaded. {@code use: NAME} starts from the preset
 * {@code configs/compress/NAME.yaml}, with the section's other keys as overrides.
 */
@ChosenBy(value = CompressorRegistry.SettingsChooser.class, key = "name", presets = "configs/compress")
public interface CompressorSpec {
    /** The compressor's registry name. */
    String name();

    /** Which parameters the stage compresses. */
    ScopeSpec scope();

    /** The same settings on another scope. */
    CompressorSpec withScope(ScopeSpec scope);

    /**
     * Checks that the stage fits a retraining of {@code steps} optimizer steps (a pruning schedule must end
     * before retraining does).
     *
     * @throws IllegalArgumentException naming the key that does not fit
     */
    default void checkRetraining(long steps) {
    }

    /**
     * The settings as a stage retrained for {@code steps} optimizer steps runs them: settings tied to the
     * retraining budget (a pruning schedule spread over it) are fixed here; most compressors return themselves.
     */
    default CompressorSpec forRetraining(long steps) {
        return this;
    }

    /**
     * The same settings with each random seed {@code s} of the compressor (k-means++ initialization) replaced by
     * {@code derive.applyAsLong(s)}; compressors without randomness return themselves. The compression pipeline's
     * seed rule uses it to derive a stage's seeds from the run's root seed ({@link StageRetraining#seeded}).
     */
    default CompressorSpec withSeeds(java.util.function.LongUnaryOperator derive) {
        return this;
    }

    /**
     * Settings from YAML text, bound and checked like a config file, e.g. {@code {name: kmeans, bits: 4}}.
     */
    static CompressorSpec parse(String yaml) {
        return ConfigLoader.parse(yaml, "compressor settings", CompressorSpec.class).value();
    }

    /** {@code name} with every setting at its default, bits set to {@code bits} for a compressor that has bits. */
    static CompressorSpec defaults(String name, int bits) {
        Class<?> type = CompressorRegistry.standard().settingsType(name);
        boolean hasBits = java.util.Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals("bits"));
        return parse("{name: " + name + (hasBits ? ", bits: " + bits : "") + "}");
    }
}
