package org.mtcompress.compress;

/** How 1-D k-means is solved. */
public enum KMeansAlgorithm {
    /** Exact when the number of distinct values is small enough ({@code exact_max_distinct}), else Lloyd. */
    AUTO,
    /** Optimal clustering by dynamic programming over sorted distinct values (divide and conquer). */
    EXACT,
    /** Lloyd iterations on sorted values from the chosen initialisation. */
    LLOYD
}
