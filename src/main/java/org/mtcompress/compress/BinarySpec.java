package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of {@link BinaryCompressor} ({@code bsflex} and {@code binary_fixed}): two centroids per tensor. */
@Doc("binarization: 2-means per tensor, 1 bit per weight")
public record BinarySpec(
        @Doc("bsflex or binary_fixed") String name,
        @Doc("Bits per weight: always 1") @Default("1") @Range(min = 1, max = 1) int bits,
        @Doc("Which parameters to compress") @Default("{}") ScopeSpec scope,
        @Doc("Settings of the 2-means that places the two centroids") @Default("{}") KMeansSettings kmeans,
        @Doc("Names the random stream of randomised steps (k-means++ initialisation): in a run, the seed is derived "
                + "from the root seed under compress:<variant>/[stage<k>/]seed<this>; without a root seed it is used as is") @Default("42") long seed) implements CompressorSpec {

    public BinarySpec {
        Names.require(name, BinaryCompressor.BS_FLEX, BinaryCompressor.FIXED);
    }

    @Override
    public BinarySpec withScope(ScopeSpec s) {
        return new BinarySpec(name, bits, s, kmeans, seed);
    }

    @Override
    public BinarySpec withSeeds(java.util.function.LongUnaryOperator derive) {
        return new BinarySpec(name, bits, scope, kmeans, derive.applyAsLong(seed));
    }
}
