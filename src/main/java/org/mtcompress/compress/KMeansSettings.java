package org.mtcompress.compress;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** Settings of k-means weight sharing (and the 2-means of the binary compressors). */
@Doc("k-means weight sharing settings")
public record KMeansSettings(
        @Doc("Codebook sharing: tensor (one per tensor), layer, global") @Default("tensor") CodebookSharing sharing,
        @Doc("Initialisation of Lloyd iterations: linear, kmeans_pp, density") @Default("linear") KMeansInit init,
        @Doc("Solver: auto (exact when affordable), exact (dynamic programming), lloyd") @Default("auto") KMeansAlgorithm algorithm,
        @Doc("auto uses the exact solver when a codebook's values have at most this many distinct floats")
        @Default("65536") @Range(min = 1, max = 1e8) int exactMaxDistinct,
        @Doc("Maximum Lloyd iterations (stops earlier when assignments no longer change)")
        @Default("100") @Range(min = 1, max = 100000) int maxIterations) {

    public static KMeansSettings defaults() {
        return new KMeansSettings(CodebookSharing.TENSOR, KMeansInit.LINEAR, KMeansAlgorithm.AUTO, 65536, 100);
    }
}
