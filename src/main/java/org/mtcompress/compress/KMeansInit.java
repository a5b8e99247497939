package org.mtcompress.compress;

/** Initial centroids for Lloyd iterations (Han et al., Deep Compression, compare the three). */
public enum KMeansInit {
    /** Evenly spaced between min and max (the best of the three in Deep Compression). */
    LINEAR,
    /** k-means++ seeding (D^2 sampling) with the spec's seed. */
    KMEANS_PP,
    /** Density-based: evenly spaced quantiles of the value distribution. */
    DENSITY
}
