package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * One compression stage: which compressor (by registry name), on which parameters, with which settings.
 * Settings a compressor does not use are ignored by it. Build in code with {@link #defaults(String, int)} and
 * the {@code with...} methods so that adding a component later touches only this record.
 */
@Doc("One compression stage: compressor name, bits, scope and per-family settings")
public record CompressorSpec(
        @Doc("Compressor name in the registry (kmeans, bsflex, binary_fixed, prune, ...)") String name,
        @Doc("Bits per weight index (k-means: at most 2^bits centroids; binary compressors: 1)")
        @Default("4") @Range(min = 1, max = 32) int bits,
        @Doc("Which parameters to compress") ScopeSpec scope,
        @Doc("k-means settings") KMeansSettings kmeans,
        @Doc("Pruning settings") PruningSettings pruning,
        @Doc("Scalar quantization settings (intn, uniform_clip)") QuantSettings quant,
        @Doc("Seed for randomised steps (k-means++ initialisation)") @Default("42") long seed) {

    public CompressorSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("compressor name is required");
        }
        if (scope == null) {
            scope = ScopeSpec.of(ScopePreset.ALL);
        }
        if (kmeans == null) {
            kmeans = KMeansSettings.defaults();
        }
        if (pruning == null) {
            pruning = PruningSettings.defaults();
        }
        if (quant == null) {
            quant = QuantSettings.defaults();
        }
    }

    /** {@code name} at {@code bits}, scope {@code all}, every other setting at its default. */
    public static CompressorSpec defaults(String name, int bits) {
        return new CompressorSpec(name, bits, ScopeSpec.of(ScopePreset.ALL), KMeansSettings.defaults(),
                PruningSettings.defaults(), QuantSettings.defaults(), 42L);
    }

    public CompressorSpec withBits(int b) {
        return new CompressorSpec(name, b, scope, kmeans, pruning, quant, seed);
    }

    public CompressorSpec withScope(ScopeSpec s) {
        return new CompressorSpec(name, bits, s, kmeans, pruning, quant, seed);
    }

    public CompressorSpec withKmeans(KMeansSettings k) {
        return new CompressorSpec(name, bits, scope, k, pruning, quant, seed);
    }

    public CompressorSpec withPruning(PruningSettings p) {
        return new CompressorSpec(name, bits, scope, kmeans, p, quant, seed);
    }

    public CompressorSpec withQuant(QuantSettings q) {
        return new CompressorSpec(name, bits, scope, kmeans, pruning, q, seed);
    }

    public CompressorSpec withSeed(long s) {
        return new CompressorSpec(name, bits, scope, kmeans, pruning, quant, s);
    }
}
