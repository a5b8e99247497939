package org.mtcompress.compress;

/** Where the magnitude threshold of pruning is chosen. */
public enum PruningThreshold {
    /** Each tensor reaches the target sparsity on its own. */
    PER_TENSOR,
    /** One magnitude threshold over all selected tensors; the union reaches the target sparsity. */
    GLOBAL
}
