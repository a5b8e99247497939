package org.mtcompress.compress;

import org.mtcompress.config.RecordChooser;
import org.mtcompress.util.MtcException;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compressors by name, each with its settings record (what its config section may hold) and its factory.
 * {@link #standard()} holds the built-in ones (add a family with one {@code register} line there); duplicate
 * names are rejected and an unknown name lists the known ones.
 */
public final class CompressorRegistry {
    private final Map<String, Family<?>> families = new TreeMap<>();

    private record Family<S extends CompressorSpec>(Class<S> settings, Function<S, Compressor> factory) {
        Compressor create(CompressorSpec spec) {
            if (!settings.isInstance(spec)) {
                throw new IllegalArgumentException("compressor '" + spec.name() + "' needs " + settings.getSimpleName()
                        + " settings, got " + spec.getClass().getSimpleName());
            }
            return factory.apply(settings.cast(spec));
        }
    }

    /** The built-in compressors. */
    public static CompressorRegistry standard() {
        CompressorRegistry r = new CompressorRegistry();
        r.register(KMeansCompressor.NAME, KMeansSpec.class, KMeansCompressor::new);
        r.register(BinaryCompressor.BS_FLEX, BinarySpec.class, spec -> new BinaryCompressor(spec, true));
        r.register(BinaryCompressor.FIXED, BinarySpec.class, spec -> new BinaryCompressor(spec, false));
        r.register(PruningCompressor.NAME, PruningSpec.class, PruningCompressor::new);
        r.register(IntNCompressor.NAME, IntNSpec.class, IntNCompressor::new);
        r.register(UniformClipCompressor.NAME, UniformClipSpec.class, UniformClipCompressor::new);
        r.register(NoCompression.NAME, NoCompressionSpec.class, NoCompression::new);
        r.register(TernaryCompressor.NAME, TernarySpec.class, TernaryCompressor::new);
        return r;
    }

    /**
     * Adds a compressor family: its name, the record its config section binds to, and its factory. A name
     * already present is an error.
     */
    public <S extends CompressorSpec> CompressorRegistry register(String name, Class<S> settings,
                                                                  Function<S, Compressor> factory) {
        if (!settings.isRecord()) {
            throw new IllegalArgumentException("settings of compressor '" + name + "' must be a record: " + settings);
        }
        if (families.putIfAbsent(name, new Family<>(settings, factory)) != null) {
            throw new IllegalArgumentException("compressor '" + name + "' is registered twice");
        }
        return this;
    }

    /** A compressor for {@code spec.name()}; an unknown name is a user error listing the known names. */
    public Compressor create(CompressorSpec spec) {
        return family(spec.name()).create(spec);
    }

    /** The settings record of compressor {@code name}; an unknown name is a user error listing the known names. */
    public Class<? extends CompressorSpec> settingsType(String name) {
        return family(name).settings();
    }

    private Family<?> family(String name) {
        Family<?> f = families.get(name);
        if (f == null) {
            throw new MtcException("unknown compressor '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return f;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(families.keySet());
    }

    /** Tells the config loader which settings record a compressor section binds to, by its {@code name:}. */
    public static final class SettingsChooser implements RecordChooser {
        @Override
        public Class<?> choose(String name) {
            CompressorRegistry r = standard();
            if (!r.names().contains(name)) {
                throw new IllegalArgumentException("unknown compressor '" + name + "' (known: "
                        + String.join(", ", r.names()) + ")");
            }
            return r.settingsType(name);
        }
    }
}
