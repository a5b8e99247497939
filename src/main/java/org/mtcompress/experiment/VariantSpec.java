package org.mtcompress.experiment;

import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.config.AddedLater;
import org.mtcompress.config.LrSchedule;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.Range;
import org.mtcompress.model.Distillation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of an experiment: a recipe of compression stages, each a compressor on a scope followed by retraining
 * with every constraint so far kept (a single {@code compressor:} plus {@code retrain:} is a one-stage recipe;
 * {@code stages:} lists several, see docs/recipes.md); or an architecture variant ({@code model:} overrides such as {@code {embedding: hash}}) that trains its own baseline
 * from scratch, with no compressor, and is sized against the experiment's baseline.
 */
@Doc("a variant: compressor, scope and retraining, or model overrides trained from scratch")
public record VariantSpec(
        @Doc("the variant's name: its run folder and its row in the table") String name,
        @Doc("the compressor, its settings and scope (a one-stage recipe); absent for a model: variant or with stages:")
        @Default("~") CompressorSpec compressor,
        @Doc("retraining after compression") RetrainSettings retrain,
        @Doc("store a histogram of the self-attention weights (the poster's figure)") @Default("false") boolean histogram,
        @Doc("model overrides (e.g. {embedding: hash}): the variant trains its own baseline with them, content-addressed "
                + "like the experiment's") @Default("{}") Map<String, String> model,
        @Doc("a recipe of several stages, in order, each a compressor with its own retraining; later stages keep "
                + "earlier stages' constraints") @AddedLater("2026-12-03") @Default("[]") List<Stage> stages,
        @Doc("the control row: compressor none, retrained like the compressed variants; the table's '% of control' "
                + "is relative to it (at most one per experiment)") @AddedLater("2026-12-03") @Default("false") boolean control) {

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
        stages = stages == null ? List.of() : List.copyOf(stages);
        if (retrain == null) {
            retrain = RetrainSettings.NONE;
        }
        if (!stages.isEmpty()) {
            if (compressor != null) {
                throw new IllegalArgumentException("variant '" + name + "': give either compressor: (one stage) or "
                        + "stages:, not both");
            }
            if (!retrain.equals(RetrainSettings.NONE)) {
                throw new IllegalArgumentException("variant '" + name + "': with stages:, each stage has its own "
                        + "retrain: (remove the variant's)");
            }
        }
        if (compressor == null && stages.isEmpty() && model.isEmpty()) {
            throw new IllegalArgumentException("variant '" + name + "': compressor is required (or stages:, or model: "
                    + "overrides for a variant trained from scratch)");
        }
        if ((compressor != null || !stages.isEmpty()) && !model.isEmpty()) {
            throw new IllegalArgumentException("variant '" + name + "': a model: variant trains its own baseline and "
                    + "takes no compressor");
        }
        if (control && (compressor == null || !compressor.name().equals(NO_COMPRESSOR))) {
            throw new IllegalArgumentException("variant '" + name + "': key 'control': the control row takes "
                    + "compressor: {name: " + NO_COMPRESSOR + "} (no compression), retrained like the other variants");
        }
        if (compressor != null) {
            try {
                compressor.checkRetraining(retrain.steps());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("variant '" + name + "': compressor: " + e.getMessage());
            }
        }
        for (int k = 0; k < stages.size(); k++) {
            try {
                stages.get(k).compressor().checkRetraining(stages.get(k).retrain().steps());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("variant '" + name + "': stage " + (k + 1) + ": compressor: "
                        + e.getMessage());
            }
        }
    }

    /** The old five-key form (a one-stage variant, or a model: variant). */
    public VariantSpec(String name, CompressorSpec compressor, RetrainSettings retrain, boolean histogram,
                       Map<String, String> model) {
        this(name, compressor, retrain, histogram, model, List.of());
    }

    /** A variant that is not the control row. */
    public VariantSpec(String name, CompressorSpec compressor, RetrainSettings retrain, boolean histogram,
                       Map<String, String> model, List<Stage> stages) {
        this(name, compressor, retrain, histogram, model, stages, false);
    }

    /** The row's role in the table: {@code control} for the control row, else {@code variant}. */
    public String role() {
        return control ? "control" : "variant";
    }

    /**
     * The variant's recipe: its {@code stages:}, or its {@code compressor:} and {@code retrain:} as one stage;
     * empty for a model: variant.
     */
    public List<Stage> recipe() {
        if (!stages.isEmpty()) {
            return stages;
        }
        return compressor == null ? List.of() : List.of(new Stage(compressor, retrain));
    }

    /** The recipe as the compression pipeline runs it. */
    public List<CompressionPipeline.Stage> pipelineStages() {
        return recipe().stream().map(Stage::pipelineStage).toList();
    }

    /** Retraining steps over all stages. */
    public long retrainSteps() {
        return recipe().stream().mapToLong(s -> s.retrain().steps()).sum();
    }

    /** True for a variant with {@code model:} overrides (its own baseline, no compressor). */
    public boolean architectureVariant() {
        return !model.isEmpty();
    }

    /**
     * The compressor column of the table: the compressor's name, the stages' names joined by {@code +}
     * ({@code prune+kmeans}), or {@value #NO_COMPRESSOR} for an architecture variant.
     */
    public String compressorName() {
        List<Stage> r = recipe();
        return r.isEmpty() ? NO_COMPRESSOR : String.join("+", r.stream().map(s -> s.compressor().name()).toList());
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
            @Doc("warm-up steps of retraining") @Default("50") @Range(min = 1) int warmupSteps,
            @Doc("learning rate after warm-up: inverse_sqrt (the training recipe's shape), or cosine (a warm restart "
                    + "decaying to zero at the last retraining step)") @AddedLater("2026-12-03") @Default("inverse_sqrt") LrSchedule lrSchedule,
            @Doc("knowledge distillation from the uncompressed baseline: weight alpha of T^2 * KL(teacher || student) "
                    + "in (1 - alpha) * CE + alpha * T^2 * KL; 0 = off") @AddedLater("2026-12-03") @Default("0")
            @Range(min = 0, max = 1) double kdAlpha,
            @Doc("distillation temperature T (teacher and student softmax)") @AddedLater("2026-12-03")
            @Default("2") @Range(min = 0.05, max = 100) double kdTemperature) {
        /** No retraining (the defaults). */
        public static final RetrainSettings NONE = new RetrainSettings(0, 0.0003, 50);

        public RetrainSettings {
            if (lrSchedule == LrSchedule.COSINE && steps > 0 && steps <= warmupSteps) {
                throw new IllegalArgumentException("key 'lr_schedule': cosine decays to zero at the last retraining "
                        + "step, which must come after warm-up: steps (" + steps + ") must be above warmup_steps ("
                        + warmupSteps + ")");
            }
        }

        /** Retraining with the inverse-square-root schedule, without distillation. */
        public RetrainSettings(long steps, double lr, int warmupSteps) {
            this(steps, lr, warmupSteps, LrSchedule.INVERSE_SQRT, 0, 2);
        }

        /** The distillation of this retraining ({@link Distillation#NONE} when kd_alpha is 0). */
        public Distillation distillation() {
            return kdAlpha > 0 ? new Distillation(kdAlpha, kdTemperature) : Distillation.NONE;
        }
    }

    /**
     * One stage of a recipe: a compressor on its scope ({@code use: PRESET} plus overrides works as in a one-stage
     * variant), then its own retraining with this and every earlier stage's constraint kept.
     */
    @Doc("one stage of a recipe: a compressor and its retraining")
    public record Stage(
            @Doc("the compressor, its settings and scope") CompressorSpec compressor,
            @Doc("retraining after this stage") RetrainSettings retrain) {
        public Stage {
            if (retrain == null) {
                retrain = RetrainSettings.NONE;
            }
        }

        /** This stage as the compression pipeline runs it. */
        public CompressionPipeline.Stage pipelineStage() {
            return new CompressionPipeline.Stage(compressor, retrain.steps(), retrain.lr(), retrain.warmupSteps(),
                    retrain.lrSchedule(), retrain.distillation());
        }
    }
}
