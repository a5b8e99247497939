package org.mtcompress.experiment;

import java.util.List;
import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * A recipe file for {@code mtc compress --recipe}: the {@code stages:} of a variant (each a compressor, or
 * {@code use: PRESET} plus overrides, with its own {@code retrain:}), run in one call on one model, later stages
 * keeping earlier stages' constraints.
 */
@Doc("a recipe of compression stages (mtc compress --recipe): the stages: of a variant")
public record Recipe(
        @Doc("the stages, in order, each a compressor on a scope with its own retraining") @Range(min = 1)
        List<VariantSpec.Stage> stages) {

    public Recipe {
        stages = List.copyOf(stages);
        for (int k = 0; k < stages.size(); k++) {
            try {
                stages.get(k).compressor().checkRetraining(stages.get(k).retrain().steps());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stage " + (k + 1) + ": compressor: " + e.getMessage());
            }
        }
    }

    /** The stages as the compression pipeline runs them. */
    public List<CompressionPipeline.Stage> pipelineStages() {
        return stages.stream().map(VariantSpec.Stage::pipelineStage).toList();
    }
}
