package org.mtcompress.experiment;

import java.util.List;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.config.AddedLater;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;

/**
 * The template of every grid run of a sweep (section {@code variant:}): a {@link VariantSpec} without a name, one
 * stage ({@code compressor:} plus {@code retrain:}) or a recipe ({@code stages:}). Each run of the experiment file's
 * {@code grid:}/{@code zip:} applies its overrides (e.g. {@code variant.compressor.bits}, or
 * {@code variant.stages.1.compressor.bits} for the second stage of a recipe) to the experiment and becomes one
 * variant named after them.
 */
@Doc("the variant every grid run starts from; grid keys such as variant.compressor.bits or "
        + "variant.stages.1.compressor.bits (stages counted from 0) change it")
public record GridVariant(
        @Doc("the compressor, its settings and scope (a one-stage recipe); absent with stages:") @Default("~")
        CompressorSpec compressor,
        @Doc("retraining after compression (one-stage recipe)") VariantSpec.RetrainSettings retrain,
        @Doc("store a histogram of the self-attention weights") @Default("false") boolean histogram,
        @Doc("a recipe of several stages, in order, each a compressor with its own retraining")
        @AddedLater("2026-12-03") @Default("[]") List<VariantSpec.Stage> stages) {

    public GridVariant {
        stages = stages == null ? List.of() : List.copyOf(stages);
        // the same rules as a listed variant, checked when the file is loaded rather than per grid run
        new VariantSpec("template", compressor, retrain, histogram, java.util.Map.of(), stages);
    }

    /** A one-stage template. */
    public GridVariant(CompressorSpec compressor, VariantSpec.RetrainSettings retrain, boolean histogram) {
        this(compressor, retrain, histogram, List.of());
    }

    /** The variant of the grid run named {@code name}. */
    public VariantSpec named(String name) {
        return new VariantSpec(name, compressor, retrain, histogram, java.util.Map.of(), stages);
    }
}
