package org.mtcompress.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.config.TrainConfig;

/**
 * What {@code mtc run} would do, worked out from the experiment file and the results folder alone (nothing is
 * trained, no data is read): the baselines it trains, resumes or reuses, and for each row its stages and steps.
 * Building the plan expands every grid run, so it also checks the whole experiment.
 */
public final class RunPlan {
    private RunPlan() {
    }

    /** The plan as printable lines. */
    public static List<String> lines(Path resultsRoot, ConfigLoader.Loaded<ExperimentConfig> loaded) {
        ExperimentConfig cfg = loaded.value();
        List<ExperimentRunner.Row> rows = ExperimentRunner.rows(loaded);
        List<String> out = new ArrayList<>();
        Map<String, String> baselines = new LinkedHashMap<>();
        List<String> rowLines = new ArrayList<>();
        for (ExperimentRunner.Row r : rows) {
            ExperimentConfig rc = r.cfg();
            VariantSpec v = r.variant();
            String base = baseline(resultsRoot, ConfigLoader.of(rc.baseline(), null), baselines);
            String what;
            if (v == null) {
                what = "evaluate baseline " + base;
            } else if (v.architectureVariant()) {
                what = "own baseline " + baseline(resultsRoot, ConfigLoader.of(rc.baseline(v), null), baselines)
                        + " (model " + v.model() + "), evaluated against " + base;
            } else {
                List<String> stages = new ArrayList<>();
                List<VariantSpec.Stage> recipe = v.recipe();
                for (int k = 0; k < recipe.size(); k++) {
                    stages.add("stage " + (k + 1) + ": " + describe(recipe.get(k).compressor()) + ", retrain "
                            + recipe.get(k).retrain().steps() + " steps");
                }
                what = "from baseline " + base + ": " + String.join("; ", stages);
            }
            String hash = ConfigLoader.of(new RowConfig(rc.baseline(), rc.eval(), v), null).hash();
            Path dir = RunFolder.pathOf(resultsRoot, cfg.experiment(), r.name());
            String state = !RunFolder.isFinished(dir) ? "to compute"
                    : hash.equals(RunFolder.configHash(dir)) ? "finished, reused"
                    : "finished with another config: kept, reported as failed";
            rowLines.add(String.format(Locale.ROOT, "  %-28s %s [%s]", r.name(), what, state));
        }
        out.add("experiment " + cfg.experiment() + " (" + (loaded.file() == null ? "in code" : loaded.file())
                + "): " + rows.size() + " rows, " + baselines.size() + " baseline" + (baselines.size() == 1 ? "" : "s"));
        out.add("baselines:");
        baselines.forEach((hash, line) -> out.add("  " + line));
        out.add("rows:");
        out.addAll(rowLines);
        return out;
    }

    /** Adds the baseline to {@code seen} (short hash -> its line) and returns its short hash. */
    private static String baseline(Path resultsRoot, ConfigLoader.Loaded<RunConfig> b, Map<String, String> seen) {
        String id = b.shortHash();
        if (!seen.containsKey(id)) {
            Path dir = RunFolder.pathOf(resultsRoot, ExperimentRunner.BASELINES, id);
            String state = RunFolder.isFinished(dir) ? "reuse (trained earlier)"
                    : Files.exists(dir.resolve("last.mtck")) ? "resume from its last checkpoint, then " + budget(b.value().train())
                    : "train: " + budget(b.value().train());
            seen.put(id, id + " " + b.value().model().dModel() + "d " + b.value().model().encoderLayers() + "+"
                    + b.value().model().decoderLayers() + " layers on " + b.value().data().dataset() + ", seed "
                    + b.value().seed() + ": " + state);
        }
        return id;
    }

    /** The training budget: the first of max_steps, max_minutes and max_epochs to be reached ends it. */
    static String budget(TrainConfig t) {
        List<String> parts = new ArrayList<>();
        if (t.maxSteps() > 0) {
            parts.add(t.maxSteps() + " steps");
        }
        if (t.maxMinutes() > 0) {
            parts.add(fmt(t.maxMinutes()) + " minutes");
        }
        parts.add(t.maxEpochs() + " epochs");
        return "until " + String.join(" or ", parts) + ", whichever comes first";
    }

    /**
     * A compressor stage in one line: its name, the settings that differ from the compressor's defaults, and its
     * scope, e.g. {@code kmeans bits=2 on self_attention}.
     */
    static String describe(CompressorSpec spec) {
        Map<String, Object> own = flat(ConfigLoader.toPlain(spec), "");
        Map<String, Object> defaults = flat(ConfigLoader.toPlain(CompressorSpec.parse("{name: " + spec.name() + "}")), "");
        StringBuilder sb = new StringBuilder(spec.name());
        own.forEach((k, val) -> {
            if (k.equals("bits") || !k.equals("name") && !k.startsWith("scope.")
                    && !java.util.Objects.equals(val, defaults.get(k))) {
                sb.append(' ').append(k).append('=').append(val);
            }
        });
        return sb.append(" on ").append(RunReport.describe(spec.scope())).toString();
    }

    private static Map<String, Object> flat(Object plain, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (plain instanceof Map<?, ?> m) {
            m.forEach((k, val) -> out.putAll(flat(val, prefix + k + (val instanceof Map ? "." : ""))));
        } else {
            out.put(prefix, plain);
        }
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
