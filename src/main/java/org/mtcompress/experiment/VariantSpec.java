package org.mtcompress.experiment;

import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.Range;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of an experiment: a compressor on a scope, then retraining with the compressor's constraint kept; or an
 * architecture variant ({@code model:} overrides such as {@code {embedding: hash}}) that trains its own baseline
 * from scratch, with no compressor, and is sized against the experiment's baseline.
 */
@Doc("a variant: compressor, scope and retraining, or model overrides trained from scratch")
public record VariantSpec(
        @Doc("the variant's name: its run folder and its row in the table") String name,
        @Doc("the compressor, its settings and scope; absent for a model: variant") @Default("~") CompressorSpec compressor,
        @Doc("retraining after compression") RetrainSettings retrain,
        @Doc("store a histogram of the self-attention weights (the poster's figure)") @Default("false") boolean histogram,
        @Doc("model overrides (e.g. {embedding: hash}): the variant trains its own baseline with them, content-addressed "
                + "like the experiment's") @Default("{}") Map<String, String> model) {

    /** The compressor column of a variant trained from scratch with {@code model:} overrides. */
    public static final String NO_COMPRESSOR = "none";

    public VariantSpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._=,+-]*")) {
            throw new IllegalArgumentException("variant name '" + name + "' must be letters, digits and . _ = , + -");
        }
        if (name.equals(ExperimentRunner.ORIGINAL)) {
            throw new IllegalArgumentException("variant name '" + name + "' is reserved for the baseline row");
        }
        if (model == null) {
            model = Map.of();
        }
        if (compressor == null && model.isEmpty()) {
            throw new IllegalArgumentException("variant '" + name + "': compressor is required (or model: overrides "
                    + "for a variant trained from scratch)");
        }
        if (compressor != null && !model.isEmpty()) {
            throw new IllegalArgumentException("variant '" + name + "': a model: variant trains its own baseline and "
                    + "takes no compressor");
        }
        if (retrain == null) {
            retrain = new RetrainSettings(0, 0.0003, 50);
        }
        if (compressor != null) {
            try {
                compressor.checkRetraining(retrain.steps());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("variant '" + name + "': compressor: " + e.getMessage());
            }
        }
    }

    /** True for a variant with {@code model:} overrides (its own baseline, no compressor). */
    public boolean architectureVariant() {
        return !model.isEmpty();
    }

    /** The compressor's name for the table, {@value #NO_COMPRESSOR} for an architecture variant. */
    public String compressorName() {
        return compressor == null ? NO_COMPRESSOR : compressor.name();
    }

    /** The experiment's model with this variant's overrides applied (checked as strictly as a config file). */
    public ModelConfig model(ModelConfig base) {
        if (model.isEmpty()) {
            return base;
        }
        List<String> overrides = new ArrayList<>();
        model.forEach((k, v) -> overrides.add(k + "=" + v));
        try {
            return ConfigLoader.override(base, overrides);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("variant '" + name + "': model: " + e.getMessage());
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
