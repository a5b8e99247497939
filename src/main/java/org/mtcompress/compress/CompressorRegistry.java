package org.mtcompress.compress;

import org.mtcompress.util.MtcException;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compressors by name. {@link #standard()} holds the built-in ones (add a family with one {@code register}
 * line there); duplicate names are rejected and an unknown name lists the known ones.
 */
public final class CompressorRegistry {
    private final Map<String, Function<CompressorSpec, Compressor>> factories = new TreeMap<>();

    /** The built-in compressors. */
    public static CompressorRegistry standard() {
        CompressorRegistry r = new CompressorRegistry();
        r.register(KMeansCompressor.NAME, KMeansCompressor::new);
        r.register(BinaryCompressor.BS_FLEX, spec -> new BinaryCompressor(spec, true));
        r.register(BinaryCompressor.FIXED, spec -> new BinaryCompressor(spec, false));
        r.register(PruningCompressor.NAME, PruningCompressor::new);
        r.register(IntNCompressor.NAME, IntNCompressor::new);
        r.register(UniformClipCompressor.NAME, UniformClipCompressor::new);
        r.register(NoCompression.NAME, NoCompression::new);
        return r;
    }

    /** Adds a compressor family; a name already present is an error. */
    public CompressorRegistry register(String name, Function<CompressorSpec, Compressor> factory) {
        if (factories.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("compressor '" + name + "' is registered twice");
        }
        return this;
    }

    /** A compressor for {@code spec.name()}; an unknown name is a user error listing the known names. */
    public Compressor create(CompressorSpec spec) {
        Function<CompressorSpec, Compressor> f = factories.get(spec.name());
        if (f == null) {
            throw new MtcException("unknown compressor '" + spec.name() + "' (known: " + String.join(", ", names()) + ")");
        }
        return f.apply(spec);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
