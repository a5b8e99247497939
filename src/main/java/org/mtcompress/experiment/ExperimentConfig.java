package org.mtcompress.experiment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mtcompress.config.DataConfig;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.Range;
import org.mtcompress.config.RunConfig;
import org.mtcompress.config.TrainConfig;

/**
 * An experiment: a baseline (data, model, training) and the variants compressed from it. Usually composed with
 * {@code extends:} from {@code configs/model/*.yaml} and {@code configs/train/*.yaml}.
 */
@Doc("an experiment: baseline plus compression variants")
public record ExperimentConfig(
        @Doc("experiment name: your runs, table and charts go to results/runs/<experiment>/")
        String experiment,
        @Doc("root seed: the baseline's initialization, data order and dropout, each variant's retraining and the "
                + "bootstrap derive their seeds from it (docs/reproducibility.md)") @Default("1") @Range(min = 0) long seed,
        @Doc("data section") DataConfig data,
        @Doc("model section") ModelConfig model,
        @Doc("training of the baseline") TrainConfig train,
        @Doc("evaluation of every row") EvalSettings eval,
        @Doc("the compression variants") @Default("[]") List<VariantSpec> variants,
        @Doc("template of the grid runs (with grid:/zip: in the same file; see mtc sweep)") @Default("~")
        GridVariant variant) {

    /** Top-level keys of an experiment file that belong to its sweep ({@link org.mtcompress.experiment.sweep.SweepSpec}). */
    public static final Set<String> SWEEP_KEYS = org.mtcompress.experiment.sweep.SweepSpec.SECTIONS;

    /** Loads an experiment file; its sweep sections (grid:, zip:, overrides:, sweep:) are left to the sweep. */
    public static org.mtcompress.config.ConfigLoader.Loaded<ExperimentConfig> load(java.nio.file.Path file,
                                                                               List<String> overrides) {
        return org.mtcompress.config.ConfigLoader.load(file, overrides, ExperimentConfig.class, SWEEP_KEYS);
    }

    public ExperimentConfig {
        if (experiment == null || !experiment.matches("[A-Za-z0-9][A-Za-z0-9._=,+-]*")) {
            throw new IllegalArgumentException("experiment name '" + experiment + "' must be letters, digits and . _ = , + -");
        }
        if (experiment.equals(ExperimentRunner.BASELINES)) {
            throw new IllegalArgumentException("experiment name '" + experiment + "' is reserved for trained baselines");
        }
        Set<String> seen = new HashSet<>();
        List<String> controls = variants.stream().filter(VariantSpec::control).map(VariantSpec::name).toList();
        if (controls.size() > 1) {
            throw new IllegalArgumentException("key 'control': one control row per experiment, got " + controls);
        }
        for (VariantSpec v : variants) {
            if (!seen.add(v.name())) {
                throw new IllegalArgumentException("variant name '" + v.name() + "' is used twice");
            }
            if (model != null) {
                v.model(model); // a bad model: override fails when the experiment is loaded, not hours later
            }
        }
    }

    /** The baseline of an architecture variant: the experiment's with the variant's {@code model:} overrides. */
    public RunConfig baseline(VariantSpec v) {
        return new RunConfig(ExperimentRunner.BASELINES, seed, data, v.model(model), train);
    }

    /** The baseline's run config: what is content-addressed (same config → same trained baseline). */
    public RunConfig baseline() {
        return new RunConfig(ExperimentRunner.BASELINES, seed, data, model, train);
    }
}
