package org.mtcompress.compress;

import org.mtcompress.config.LrSchedule;
import org.mtcompress.model.Distillation;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.train.Retrainer;
import org.mtcompress.train.TrainingHook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one compression path of {@code mtc compress} and {@code mtc run}: a recipe of stages, each a compressor on
 * its scope followed by its own retraining. Later stages keep earlier stages' constraints: while stage k retrains,
 * the states of stages 1..k are all called after every optimizer step (earlier ones on their own step count, so a
 * finished pruning schedule only re-applies its masks), and a compressor acting on a tensor an earlier pruning
 * stage left receives its mask and keeps those zeros (k-means on the kept weights only).
 *
 * <p>A tensor may be in several stages only as pruning followed by one compressor that keeps zeros
 * ({@link Compressor#keepsZeros()}); any other overlap (two quantizers on one tensor) is refused before anything
 * is compressed. The stored form of a tensor is the last stage's encoding of it; size accounting follows from it
 * ({@link SizeReport}), so a pruned then quantized tensor counts its mask, its indices and its codebook.
 */
public final class CompressionPipeline {
    /**
     * One stage of a recipe: a compressor on its scope, then {@code retrainSteps} optimizer steps of retraining at
     * peak learning rate {@code lr} after {@code warmupSteps} of warm-up, decaying by {@code lrSchedule}, with
     * knowledge distillation from the uncompressed model when {@code distill} is active.
     */
    public record Stage(CompressorSpec compressor, long retrainSteps, double lr, int warmupSteps,
                        LrSchedule lrSchedule, Distillation distill) {
        public Stage {
            if (lrSchedule == null) {
                lrSchedule = LrSchedule.INVERSE_SQRT;
            }
            if (distill == null) {
                distill = Distillation.NONE;
            }
        }

        /** A stage that retrains without distillation. */
        public Stage(CompressorSpec compressor, long retrainSteps, double lr, int warmupSteps, LrSchedule lrSchedule) {
            this(compressor, retrainSteps, lr, warmupSteps, lrSchedule, Distillation.NONE);
        }

        /** A stage whose retraining decays by the inverse square root. */
        public Stage(CompressorSpec compressor, long retrainSteps, double lr, int warmupSteps) {
            this(compressor, retrainSteps, lr, warmupSteps, LrSchedule.INVERSE_SQRT);
        }

        /** A stage without retraining. */
        public static Stage of(CompressorSpec compressor) {
            return new Stage(compressor, 0, 0.0003, 50);
        }
    }

    /** Supplies each stage's retraining (the training loop over the run's data; see {@link StageRetraining}). */
    @FunctionalInterface
    public interface Retrainers {
        /** The retrainer of stage {@code index} (0-based). */
        Retrainer forStage(int index, Stage stage);
    }

    /**
     * What one stage did: its compressor (some report on their work, e.g. the clipping search), the parameters it
     * compressed, and its state after all stages' retraining.
     */
    public record StageResult(int index, Stage stage, Compressor compressor, List<String> scope, CompressionState state) {
    }

    /** What the recipe produced; {@code encoding} and {@code report} describe the parameters after the last stage. */
    public record Result(List<StageResult> stages, Encoding encoding, SizeReport report) {
        /** Every compressed parameter name, in first-compressed order. */
        public List<String> scope() {
            Set<String> all = new LinkedHashSet<>();
            stages.forEach(s -> all.addAll(s.scope()));
            return List.copyOf(all);
        }

        /** The state of the only stage (a one-stage recipe). */
        public CompressionState state() {
            return stages.get(stages.size() - 1).state();
        }
    }

    private CompressionPipeline() {
    }

    /** A one-stage recipe: {@code spec}, then {@code retrainSteps} steps with {@code retrainer} (null when 0). */
    public static Result run(NamedParameters params, CompressorSpec spec, CompressorRegistry registry,
                             Retrainer retrainer, long retrainSteps) {
        if (retrainSteps > 0 && retrainer == null) {
            throw new IllegalArgumentException("retraining for " + retrainSteps + " steps needs a retrainer");
        }
        return run(params, List.of(new Stage(spec, retrainSteps, 0.0003, 50)), registry, (i, s) -> retrainer);
    }

    /**
     * Runs the recipe on {@code params} in place.
     *
     * @param retrainers the retraining of each stage; not called for a stage of 0 steps
     * @throws IllegalArgumentException when a scope is empty or two stages' scopes overlap in a way that cannot
     *                                  keep both constraints (checked before anything is compressed)
     */
    public static Result run(NamedParameters params, List<Stage> stages, CompressorRegistry registry,
                             Retrainers retrainers) {
        Plan plan = plan(params, stages, registry, false);
        List<Compressor> compressors = plan.compressors();
        List<List<String>> scopes = plan.scopes();
        List<CompressionState> states = new ArrayList<>();
        List<Long> startStep = new ArrayList<>();
        long stepsSoFar = 0;
        for (int k = 0; k < stages.size(); k++) {
            Stage stage = stages.get(k);
            List<String> scope = scopes.get(k);
            Map<String, boolean[]> pruned = new LinkedHashMap<>();
            for (CompressionState earlier : states) {
                earlier.pruned().forEach((name, mask) -> {
                    if (scope.contains(name)) {
                        pruned.put(name, mask);
                    }
                });
            }
            CompressionState state = compressors.get(k).compress(params, scope, pruned);
            states.add(state);
            startStep.add(stepsSoFar);
            if (stage.retrainSteps() > 0) {
                Retrainer retrainer = retrainers.forStage(k, stage);
                if (retrainer == null) {
                    throw new IllegalArgumentException("stage " + (k + 1) + " retrains for " + stage.retrainSteps()
                            + " steps but has no retrainer");
                }
                retrainer.retrain(params, stage.retrainSteps(), allStates(states, startStep, stepsSoFar));
            }
            stepsSoFar += stage.retrainSteps();
        }
        List<StageResult> results = new ArrayList<>();
        for (int k = 0; k < stages.size(); k++) {
            results.add(new StageResult(k, stages.get(k), compressors.get(k), scopes.get(k), states.get(k)));
        }
        Encoding encoding = encode(params, states);
        return new Result(results, encoding, SizeReport.of(params, encoding));
    }

    /**
     * A recipe that cannot run on a model: stage {@code stage} (0-based) compresses a tensor an earlier stage
     * compressed in a way that cannot keep both constraints.
     */
    public static final class StageConflict extends IllegalArgumentException {
        private final int stage;

        StageConflict(int stage, String message) {
            super(message);
            this.stage = stage;
        }

        /** The stage at fault, counted from 0. */
        public int stage() {
            return stage;
        }
    }

    /** Each stage's compressor and resolved scope. */
    private record Plan(List<Compressor> compressors, List<List<String>> scopes) {
    }

    /**
     * Checks that the scopes of {@code stages} do not overlap on a model with these parameter names and shapes,
     * without reading a value: the check {@link #run} makes before compressing, also made when an experiment is
     * loaded (with a {@link org.mtcompress.model.ParameterLayout} from the model config), so a bad recipe stops
     * before training. A scope that selects nothing is left to {@link #run} (it fails that row only).
     *
     * @throws StageConflict naming the stage at fault
     */
    public static void checkOverlap(NamedParameters params, List<Stage> stages, CompressorRegistry registry) {
        plan(params, stages, registry, true);
    }

    private static Plan plan(NamedParameters params, List<Stage> stages, CompressorRegistry registry,
                             boolean emptyScopeAllowed) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a recipe needs at least one stage");
        }
        List<Compressor> compressors = new ArrayList<>();
        List<List<String>> scopes = new ArrayList<>();
        Map<String, Integer> lastStage = new HashMap<>();
        for (int k = 0; k < stages.size(); k++) {
            CompressorSpec spec = stages.get(k).compressor().forRetraining(stages.get(k).retrainSteps());
            Compressor c = registry.create(spec);
            List<String> scope;
            try {
                scope = Scope.resolve(params, spec.scope());
            } catch (org.mtcompress.util.MtcException e) {
                if (!emptyScopeAllowed) {
                    throw e;
                }
                scope = List.of();
            }
            for (String name : scope) {
                Integer j = lastStage.get(name);
                if (j != null && !(compressors.get(j).leavesMask() && c.keepsZeros())) {
                    throw new StageConflict(k, "stage " + (k + 1) + " (" + spec.name() + ") would compress '"
                            + name + "' again after stage " + (j + 1) + " (" + compressors.get(j).name() + "): a tensor "
                            + "may be in two stages only as pruning followed by a compressor that keeps its zeros "
                            + "(kmeans); narrow one scope with exclude:");
                }
                lastStage.put(name, k);
            }
            compressors.add(c);
            scopes.add(scope);
        }
        return new Plan(compressors, scopes);
    }

    /**
     * The hook of a stage that starts at global step {@code stageStart}: every state so far, in stage order, each
     * told its own step count (steps since its stage began).
     */
    private static TrainingHook allStates(List<CompressionState> states, List<Long> startStep, long stageStart) {
        List<CompressionState> hooks = List.copyOf(states);
        List<Long> starts = List.copyOf(startStep);
        return (params, step) -> {
            for (int j = 0; j < hooks.size(); j++) {
                hooks.get(j).afterStep(params, stageStart - starts.get(j) + step);
            }
        };
    }

    /** Each tensor's stored form from the last stage that compressed it; shared tables nobody refers to are dropped. */
    private static Encoding encode(NamedParameters params, List<CompressionState> states) {
        Map<String, EncodedTensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> tables = new LinkedHashMap<>();
        for (CompressionState s : states) {
            Encoding e = s.encode(params);
            tensors.putAll(e.tensors());
            e.sharedTables().forEach((key, table) -> {
                if (tables.putIfAbsent(key, table) != null) {
                    throw new IllegalArgumentException("shared table '" + key + "' is made by two stages; give "
                            + "their codebooks different sharing or scopes");
                }
            });
        }
        Set<String> used = new LinkedHashSet<>();
        tensors.values().forEach(t -> {
            if (t.sharedTable() != null) {
                used.add(t.sharedTable());
            }
        });
        tables.keySet().retainAll(used);
        return new Encoding(tensors, tables);
    }
}
