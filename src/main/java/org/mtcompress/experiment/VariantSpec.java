package org.mtcompress.experiment;

import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/** One row of an experiment: a compressor on a scope, then retraining with the compressor's constraint kept. */
@Doc("a variant: compressor, scope and retraining")
public record VariantSpec(
        @Doc("the variant's name: its run folder and its row in the table") String name,
        @Doc("the compressor, its settings and scope") CompressorSpec compressor,
        @Doc("retraining after compression") RetrainSettings retrain,
        @Doc("store a histogram of the self-attention weights (the poster's figure)") @Default("false") boolean histogram) {

    public VariantSpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._=,+-]*")) {
            throw new IllegalArgumentException("variant name '" + name + "' must be letters, digits and . _ = , + -");
        }
        if (name.equals(ExperimentRunner.ORIGINAL)) {
            throw new IllegalArgumentException("variant name '" + name + "' is reserved for the baseline row");
        }
        if (compressor != null && !CompressorRegistry.standard().names().contains(compressor.name())) {
            throw new IllegalArgumentException("variant '" + name + "': unknown compressor '" + compressor.name()
                    + "' (known: " + String.join(", ", new java.util.TreeSet<>(CompressorRegistry.standard().names())) + ")");
        }
        if (retrain == null) {
            retrain = new RetrainSettings(0, 0.0003, 50);
        }
    }

    /** Retraining after compression: Adam from fresh moments, a short warm-up, then inverse-square-root decay. */
    @Doc("retraining: steps and learning rate")
    public record RetrainSettings(
            @Doc("optimizer steps of retraining; 0 = none") @Default("0") @Range(min = 0) long steps,
            @Doc("peak learning rate of retraining") @Default("0.0003") @Range(min = 0, max = 1) double lr,
            @Doc("warm-up steps of retraining") @Default("50") @Range(min = 1) int warmupSteps) {
    }
}
