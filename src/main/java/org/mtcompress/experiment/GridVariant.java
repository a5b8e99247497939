package org.mtcompress.experiment;

import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;

/**
 * The template of every grid run of a sweep (section {@code variant:}): a {@link VariantSpec} without a name.
 * Each run of the experiment file's {@code grid:}/{@code zip:} applies its overrides (e.g.
 * {@code variant.compressor.bits}) to the experiment and becomes one variant named after them.
 */
@Doc("the variant every grid run starts from; grid keys such as variant.compressor.bits change it")
public record GridVariant(
        @Doc("the compressor, its settings and scope") CompressorSpec compressor,
        @Doc("retraining after compression") VariantSpec.RetrainSettings retrain,
        @Doc("store a histogram of the self-attention weights") @Default("false") boolean histogram) {

    /** The variant of the grid run named {@code name}. */
    public VariantSpec named(String name) {
        return new VariantSpec(name, compressor, retrain, histogram, java.util.Map.of());
    }
}
