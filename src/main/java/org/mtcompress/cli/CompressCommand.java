package org.mtcompress.cli;

import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.compress.Scope;
import org.mtcompress.compress.StageRetraining;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.compress.ScopeSpec;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.LrSchedule;
import org.mtcompress.config.RunConfig;
import org.mtcompress.data.PreparedData;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.Transformer;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mtc compress}: applies one compressor to a scope of a model's parameters, prints the size report, and
 * writes the packed {@code .mtcz} model, the resolved scope and the report. The compressor comes from flags or
 * from a preset ({@code configs/compress/*.yaml}) with {@code key=value} overrides.
 */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress a model's parameters (k-means, binarization, pruning, ...) and report the size.",
        footer = {"", "Examples:",
                "  ./mtc compress --checkpoint runs/x/last.mtck --compressor kmeans --bits 4 --scope all --export model-k4.mtcz --output k4.mtck",
                "  ./mtc compress --checkpoint model.mtcz --config configs/compress/prune-50-80.yaml --set pruning.threshold=global"})
public final class CompressCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "the model: a training checkpoint (.mtck) or a packed model (.mtcz)")
    Path checkpoint;

    @Option(names = "--output", description = "write a checkpoint (.mtck) with the compressed parameters here (input must be .mtck)")
    Path output;

    @Option(names = "--config", description = "a compressor preset (YAML, CompressorSpec)")
    Path config;

    @Option(names = "--set", description = "override of the preset, key.path=value (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--compressor", description = "compressor name (default kmeans): kmeans, bsflex, binary_fixed, prune, ...; an unknown name lists them all")
    String compressor;

    @Option(names = "--bits", description = "bits per weight index (k-means: 1..8)")
    Integer bits;

    @Option(names = "--scope", description = "all, self_attention, cross_attention, attention, ffn, embeddings, none")
    String scope;

    @Option(names = "--include", description = "anchored regex of parameter names to add (repeatable)")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", description = "anchored regex of parameter names to remove (repeatable)")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--retrain-steps", defaultValue = "0", description = "optimizer steps of retraining after compression, "
            + "with the compressor's constraint kept after every step (needs a .mtck checkpoint and --run-config)")
    long retrainSteps;

    @Option(names = "--run-config", description = "the run config the checkpoint was trained with (its data and train "
            + "sections drive retraining), e.g. the run folder's config.yaml or configs/train/multi30k-tiny.yaml")
    Path runConfig;

    @Option(names = "--retrain-lr", defaultValue = "0.0003", description = "peak learning rate of retraining (default 3e-4)")
    double retrainLr;

    @Option(names = "--retrain-warmup", defaultValue = "50", description = "warm-up steps of retraining (default 50, "
            + "as a variant's retrain.warmup_steps)")
    int retrainWarmup;

    @Option(names = "--retrain-lr-schedule", defaultValue = "inverse_sqrt", description = "learning rate after warm-up: "
            + "inverse_sqrt or cosine (to zero at the last retraining step), as a variant's retrain.lr_schedule")
    String retrainLrSchedule;

    @Option(names = "--export", description = "write the packed model (.mtcz) here")
    Path export;

    @Option(names = "--scope-file", description = "write the resolved parameter names here, one per line")
    Path scopeFile;

    @Option(names = "--report", description = "write the size report (JSON) here")
    Path report;

    @Override
    public Integer call() {
        CompressorSpec spec = spec();
        if (retrainSteps < 0) {
            throw new MtcException("--retrain-steps must be >= 0, got " + retrainSteps);
        }
        Checkpoint ckpt = null;
        NamedParameters params;
        if (checkpoint.getFileName().toString().endsWith(".mtck")) {
            ckpt = Checkpoint.load(checkpoint);
            params = ckpt.parameters();
        } else {
            params = load(checkpoint);
        }
        if (output != null && ckpt == null) {
            throw new MtcException("--output needs a .mtck checkpoint as --checkpoint");
        }
        LrSchedule schedule = switch (retrainLrSchedule) {
            case "inverse_sqrt" -> LrSchedule.INVERSE_SQRT;
            case "cosine" -> LrSchedule.COSINE;
            default -> throw new MtcException("--retrain-lr-schedule must be inverse_sqrt or cosine, got '"
                    + retrainLrSchedule + "'");
        };
        CompressionPipeline.Stage stage = new CompressionPipeline.Stage(spec, retrainSteps, retrainLr, retrainWarmup,
                schedule);
        StageRetraining retraining = null;
        if (retrainSteps > 0) {
            try {
                spec.checkRetraining(retrainSteps);
            } catch (IllegalArgumentException e) {
                throw new MtcException("--retrain-steps " + retrainSteps + ": " + e.getMessage());
            }
            if (retrainWarmup < 1) {
                throw new MtcException("--retrain-warmup must be >= 1, got " + retrainWarmup);
            }
            if (ckpt == null || runConfig == null) {
                throw new MtcException("--retrain-steps needs a .mtck checkpoint and --run-config (the run's data and "
                        + "training recipe)");
            }
            Transformer model = ckpt.toModel();
            params = model.parameters();
            retraining = retraining(model, ckpt);
        }
        StageRetraining stageRetraining = retraining;
        CompressionPipeline.Result r = CompressionPipeline.run(params, List.of(stage), CompressorRegistry.standard(),
                (k, st) -> stageRetraining == null ? null : stageRetraining.forStage(k, st));
        if (retrainSteps > 0) {
            System.out.println("retrained " + retrainSteps + " steps");
        }
        System.out.print(r.report().toTable());
        if (scopeFile != null) {
            Scope.write(scopeFile, r.scope());
        }
        if (report != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("compressor", ConfigLoader.toPlain(spec));
            json.put("summary", r.report().summary());
            json.put("scope", r.scope());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (var row : r.report().rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", row.name());
                m.put("elements", row.elements());
                m.put("compressed", row.compressed());
                m.put("original_bits", row.originalBits());
                m.put("stored_bits", row.stored().total());
                m.put("index_bits", row.stored().indexBits());
                m.put("table_bits", row.stored().tableBits());
                m.put("mask_bits", row.stored().maskBits());
                m.put("value_bits", row.stored().valueBits());
                m.put("zeros", row.zeros());
                rows.add(m);
            }
            json.put("parameters", rows);
            Json.writeFile(report, json);
        }
        if (output != null) {
            Map<String, Object> extra = new LinkedHashMap<>(ckpt.extra());
            extra.put("compression", Map.of("compressor", ConfigLoader.toPlain(spec), "summary", r.report().summary()));
            new Checkpoint(ckpt.model(), ckpt.vocab(), ckpt.position(), ParameterMap.copyOf(params), ckpt.optimizer(), extra)
                    .save(output);
            System.out.println("wrote " + output);
        }
        if (export != null) {
            Mtcz.write(export, params, r.encoding());
            long bytes;
            try {
                bytes = Files.size(export);
            } catch (java.io.IOException e) {
                throw new MtcException("cannot read back " + export + ": " + e.getMessage(), e);
            }
            System.out.printf(Locale.ROOT, "wrote %s: %d bytes (size report: %d bytes, header %.3f%%)%n", export, bytes,
                    (r.report().storedBits() + 7) / 8, 100.0 * (8.0 * bytes - r.report().storedBits()) / r.report().storedBits());
        }
        return 0;
    }

    private CompressorSpec spec() {
        CompressorSpec spec;
        if (config != null) {
            // flags win over the preset: they are applied as the last overrides
            List<String> all = new ArrayList<>(overrides);
            if (compressor != null) {
                all.add("name=" + compressor);
            }
            if (bits != null) {
                all.add("bits=" + bits);
            }
            spec = ConfigLoader.load(config, all, CompressorSpec.class).value();
        } else {
            if (!overrides.isEmpty()) {
                throw new MtcException("--set needs --config");
            }
            String name = compressor == null ? "kmeans" : compressor;
            spec = bits == null ? CompressorSpec.parse("{name: " + name + "}") : CompressorSpec.defaults(name, bits);
        }
        if (scope != null || !include.isEmpty() || !exclude.isEmpty()) {
            ScopePreset preset = scope == null ? spec.scope().preset() : preset(scope);
            List<String> inc = new ArrayList<>(spec.scope().include());
            inc.addAll(include);
            List<String> exc = new ArrayList<>(spec.scope().exclude());
            exc.addAll(exclude);
            spec = spec.withScope(new ScopeSpec(preset, inc, exc));
        }
        return spec;
    }

    private static ScopePreset preset(String name) {
        for (ScopePreset p : ScopePreset.values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        List<String> known = new ArrayList<>();
        for (ScopePreset p : ScopePreset.values()) {
            known.add(p.name().toLowerCase(Locale.ROOT));
        }
        throw new MtcException("--scope: unknown scope '" + name + "' (known: " + String.join(", ", known) + ")");
    }

    /** The parameters of a packed model file ({@code .mtcz}). */
    static NamedParameters load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MtcException("--checkpoint: no such file " + file);
        }
        if (file.getFileName().toString().endsWith(".mtcz")) {
            return Mtcz.read(file).params();
        }
        throw new MtcException("--checkpoint " + file + ": unsupported format (expected .mtcz)");
    }

    /**
     * Retraining over the run's training data with its recipe (the rule every stage of {@code mtc run} follows too,
     * {@link StageRetraining}), seeds derived from the run config's root seed under {@code retrain:compress/}.
     */
    private StageRetraining retraining(Transformer model, Checkpoint ckpt) {
        RunConfig rc = ConfigLoader.load(runConfig, List.of(), RunConfig.class).value();
        PreparedData data = PreparedData.prepare(rc.data());
        if (!data.vocab().contentHash().equals(ckpt.vocab().contentHash())) {
            throw new MtcException(runConfig + ": its data and vocabulary (" + rc.data().dataset() + ", "
                    + rc.data().vocabSize() + ") are not the ones " + checkpoint + " was trained with");
        }
        return new StageRetraining(model, rc.train(), data.train().encoded(), data.vocab(), rc.seed(), "compress", true);
    }
}
