package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of {@link KMeansCompressor}: k-means weight sharing with at most 2^bits centroids per codebook. */
@Doc("k-means weight sharing: bits, scope, k-means settings, seed")
public record KMeansSpec(
        @Doc("kmeans") String name,
        @Doc("Bits per weight index: at most 2^bits centroids per codebook") @Default("4") @Range(min = 1, max = 8) int bits,
        @Doc("Which parameters to compress") @Default("{}") ScopeSpec scope,
        @Doc("k-means settings") @Default("{}") KMeansSettings kmeans,
        @Doc("Names the random stream of randomised steps (k-means++ initialisation): in a run, the seed is derived "
                + "from the root seed under compress:<variant>/[stage<k>/]seed<this>; without a root seed it is used as is") @Default("42") long seed) implements CompressorSpec {

    public KMeansSpec {
        Names.require(name, KMeansCompressor.NAME);
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("key 'bits': must be in 1..8, got " + bits);
        }
    }

    /** k-means at {@code bits} on every weight matrix, every other setting at its default. */
    public static KMeansSpec of(int bits) {
        return new KMeansSpec(KMeansCompressor.NAME, bits, ScopeSpec.of(ScopePreset.ALL), KMeansSettings.defaults(), 42L);
    }

    @Override
    public KMeansSpec withScope(ScopeSpec s) {
        return new KMeansSpec(name, bits, s, kmeans, seed);
    }

    @Override
    public KMeansSpec withSeeds(java.util.function.LongUnaryOperator derive) {
        return new KMeansSpec(name, bits, scope, kmeans, derive.applyAsLong(seed));
    }
}
