package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;

import java.util.List;
import java.util.Map;

/**
 * A pluggable compression method (k-means weight sharing, binarization, pruning, ...). It computes its state
 * (codebooks, assignments, masks, scales) from the current values of the selected parameters, writes the
 * compressed values back, and returns that state, which keeps the constraint during retraining (it is the
 * training hook) and describes how each tensor is stored (for size accounting and the packed export).
 *
 * <p>Implementations work on plain float arrays read through {@link NamedParameters}, so they are tested on a
 * {@link org.mtcompress.model.ParameterMap} without a model. Instances are made by {@link CompressorRegistry}
 * from a {@link CompressorSpec}.
 */
public interface Compressor {
    /** The registry name, e.g. {@code kmeans}. */
    String name();

    /**
     * Compresses {@code selected} (names resolved by a {@link Scope}) in place.
     *
     * @return the state: call its {@code afterStep} after every optimizer step while retraining
     */
    CompressionState compress(NamedParameters params, List<String> selected);

    /**
     * True when this compressor can act on tensors an earlier pruning stage left, keeping their zeros (k-means on
     * the kept weights only): {@link #compress(NamedParameters, List, Map)} honours the masks.
     */
    default boolean keepsZeros() {
        return false;
    }

    /** True when the state this compressor returns holds pruning masks ({@link CompressionState#pruned()}). */
    default boolean leavesMask() {
        return false;
    }

    /**
     * Compresses {@code selected} in place, keeping at exactly 0 the positions an earlier stage pruned
     * ({@code pruned}: parameter name to a mask, true = pruned; parameters not in it have none).
     */
    default CompressionState compress(NamedParameters params, List<String> selected, Map<String, boolean[]> pruned) {
        if (!pruned.isEmpty()) {
            throw new IllegalArgumentException(name() + " cannot keep the zeros of an earlier pruning stage (on "
                    + pruned.keySet().iterator().next() + ")");
        }
        return compress(params, selected);
    }
}
