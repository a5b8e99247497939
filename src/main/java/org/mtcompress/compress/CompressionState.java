package org.mtcompress.compress;

import org.mtcompress.model.NamedParameters;
import org.mtcompress.train.TrainingHook;

import java.util.List;
import java.util.Map;

/**
 * What a {@link Compressor} computed for a set of parameters. As a {@link TrainingHook} it re-imposes the
 * constraint after each optimizer step (re-apply masks, move shared centroids, re-binarize); {@link #encode}
 * gives the stored form of every compressed tensor as it stands now.
 */
public interface CompressionState extends TrainingHook {
    /** The compressed parameter names, in order. */
    List<String> parameters();

    /**
     * The stored form of each compressed parameter. {@code params} must be the parameters this state was
     * computed on (and kept in step with {@link #afterStep}); decoding each tensor gives exactly its values.
     */
    Encoding encode(NamedParameters params);

    /**
     * The positions this state holds at zero, by parameter name (true = pruned); empty for a state that prunes
     * nothing. A later stage on the same tensor receives these and keeps them.
     */
    default Map<String, boolean[]> pruned() {
        return Map.of();
    }
}
