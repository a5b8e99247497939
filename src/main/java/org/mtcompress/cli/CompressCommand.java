package org.mtcompress.cli;

import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.compress.EncodedTensor;
import org.mtcompress.compress.Encoding;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.compress.SizeReport;
import org.mtcompress.compress.Scope;
import org.mtcompress.compress.StageRetraining;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.compress.ScopeSpec;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.LrSchedule;
import org.mtcompress.config.RunConfig;
import org.mtcompress.data.PreparedData;
import org.mtcompress.experiment.Recipe;
import org.mtcompress.data.SentencePieceVocabulary;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.Transformer;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.util.Hashing;
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
 * {@code mtc compress}: applies one compressor, or a recipe of several stages, to a model's parameters, prints the
 * size report, and writes the packed {@code .mtcz} model, the resolved scope and the report. The compressor comes
 * from flags or from a preset ({@code configs/compress/*.yaml}) with {@code key=value} overrides; a recipe
 * ({@code --recipe}) is a YAML file with the {@code stages:} of a variant, run through the same compression pipeline
 * as {@code mtc run}.
 */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress a model's parameters (k-means, binarization, pruning, ...) and report the size.",
        footer = {"", "Examples:",
                "  ./mtc compress --checkpoint runs/x/last.mtck --compressor kmeans --bits 4 --scope all --export model-k4.mtcz --output k4.mtck",
                "  ./mtc compress --checkpoint model.mtcz --config configs/compress/prune-50-80.yaml --set pruning.threshold=global",
                "  ./mtc compress --checkpoint runs/x/last.mtck --recipe deep-compression.yaml --run-config runs/x/config.yaml "
                        + "--set stages.1.compressor.bits=2 --export model-dc.mtcz"})
public final class CompressCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "the model: a training checkpoint (.mtck) or a packed model (.mtcz)")
    Path checkpoint;

    @Option(names = "--output", description = "write a checkpoint (.mtck) with the compressed parameters here "
            + "(from a .mtcz input: without optimizer state)")
    Path output;

    @Option(names = "--config", description = "a compressor preset (YAML, CompressorSpec)")
    Path config;

    @Option(names = "--recipe", description = "a recipe: a YAML file with stages: (each a compressor, or use: PRESET, "
            + "with its own retrain:), run in order in this one call; instead of --config and the compressor, scope and "
            + "--retrain-* flags")
    Path recipe;

    @Option(names = "--set", description = "override of the preset or recipe, key.path=value (repeatable; "
            + "stages.1.compressor.bits picks the second stage)")
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
            + "with the compressor's constraint kept after every step (needs --run-config)")
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

    @Option(names = "--vocab", description = "the checkpoint's SentencePiece model, for --export from a .mtck "
            + "(default: vocab.model beside the checkpoint, with vocab.vocab); a .mtcz carries its own")
    Path vocab;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        List<CompressionPipeline.Stage> recipeStages = recipe != null ? recipeStages() : null;
        CompressorSpec spec = recipe != null ? null : spec();
        if (retrainSteps < 0) {
            throw new MtcException("--retrain-steps must be >= 0, got " + retrainSteps);
        }
        String file = checkpoint.getFileName().toString();
        Checkpoint ckpt;
        Mtcz.Header packedHeader = null;
        Encoding previous = Encoding.of(Map.of());
        if (file.endsWith(".mtck")) {
            ckpt = Checkpoint.load(checkpoint);
        } else if (file.endsWith(".mtcz")) {
            if (vocab != null) {
                throw new MtcException("--vocab: a .mtcz carries its own vocabulary; drop --vocab");
            }
            Mtcz.Contents c = Mtcz.read(checkpoint);
            ckpt = c.toCheckpoint();
            packedHeader = c.header();
            previous = c.encoding();
        } else {
            throw new MtcException("--checkpoint " + checkpoint + ": unsupported format (expected .mtck or .mtcz)");
        }
        NamedParameters params = ckpt.parameters();
        List<CompressionPipeline.Stage> pipelineStages = recipeStages != null ? recipeStages : List.of(oneStage(spec));
        try {
            CompressionPipeline.checkOverlap(params, pipelineStages, CompressorRegistry.standard());
        } catch (CompressionPipeline.StageConflict e) {
            throw new MtcException("--recipe " + recipe + ": " + e.getMessage());
        }
        long totalRetrain = pipelineStages.stream().mapToLong(CompressionPipeline.Stage::retrainSteps).sum();
        StageRetraining retraining = null;
        if (totalRetrain > 0) {
            if (runConfig == null) {
                throw new MtcException((recipe != null ? "--recipe " + recipe + ": its retrain: steps need"
                        : "--retrain-steps needs") + " --run-config (the run's data and training recipe)");
            }
            Transformer model = ckpt.toModel();
            params = model.parameters();
            retraining = retraining(model, ckpt);
            if (pipelineStages.stream().anyMatch(st -> st.distill().active())) {
                retraining.teacherFromCurrentWeights(); // the uncompressed model, before any stage compresses
            }
        }
        StageRetraining stageRetraining = retraining;
        Map<String, Long> compressorSeeds = new LinkedHashMap<>();
        List<CompressionPipeline.Stage> stages = stageRetraining == null ? pipelineStages
                : stageRetraining.seeded(pipelineStages, compressorSeeds);
        CompressionPipeline.Result r = CompressionPipeline.run(params, stages, CompressorRegistry.standard(),
                (k, st) -> stageRetraining == null ? null : stageRetraining.forStage(k, st));
        if (totalRetrain > 0) {
            System.out.println("retrained " + totalRetrain + " steps"
                    + (stages.size() > 1 ? " over " + stages.size() + " stages" : ""));
        }
        Encoding encoding = carryOver(previous, params, r.encoding());
        SizeReport sizes = encoding == r.encoding() ? r.report() : SizeReport.of(params, encoding);
        System.out.print(sizes.toTable());
        if (scopeFile != null) {
            Scope.write(scopeFile, r.scope());
        }
        List<Map<String, Object>> stageEntries = new ArrayList<>();
        for (int k = 0; k < stages.size(); k++) {
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("compressor", ConfigLoader.toPlain(pipelineStages.get(k).compressor()));
            stage.put("retrain_steps", stages.get(k).retrainSteps());
            Map<String, Long> seeds = stageSeeds(compressorSeeds, k);
            if (!seeds.isEmpty()) {
                stage.put("seeds", seeds);
            }
            if (k == stages.size() - 1) {
                stage.put("summary", sizes.summary());
            }
            stageEntries.add(stage);
        }
        if (report != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            if (recipe == null) {
                json.put("compressor", ConfigLoader.toPlain(spec));
            } else {
                json.put("stages", stageEntries.stream().map(e -> Map.of("compressor", e.get("compressor"),
                        "retrain_steps", e.get("retrain_steps"))).toList());
            }
            if (!compressorSeeds.isEmpty()) {
                json.put("seeds", compressorSeeds);
            }
            json.put("summary", sizes.summary());
            json.put("scope", r.scope());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (var row : sizes.rows()) {
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
            extra.put("compression", recipe == null
                    ? Map.of("compressor", ConfigLoader.toPlain(spec), "summary", sizes.summary())
                    : Map.of("stages", stageEntries, "summary", sizes.summary()));
            new Checkpoint(ckpt.model(), ckpt.vocab(), ckpt.position(), ParameterMap.copyOf(params), ckpt.optimizer(), extra)
                    .save(output);
            System.out.println("wrote " + output);
        }
        if (export != null) {
            Mtcz.Header header;
            if (packedHeader != null) {
                header = packedHeader;
                for (Map<String, Object> stage : stageEntries) {
                    header = header.withStage(stage, MtczProvenance.of(checkpoint, packedHeader.provenance()));
                }
            } else {
                header = new Mtcz.Header(ckpt.model(), ckpt.vocab(), vocabBytes(ckpt, false), vocabBytes(ckpt, true),
                        stageEntries, MtczProvenance.of(checkpoint, null));
            }
            Mtcz.Written w = Mtcz.write(export, header, params, encoding);
            System.out.printf(Locale.ROOT, "wrote %s: %d bytes = model %d (size report) + vocabulary %d + header %d "
                    + "(%.3f%% of the model)%n", export, w.fileBytes(), w.storedBytes(), w.vocabularyBytes(),
                    w.headerBytes(), w.headerPercent());
        }
        return 0;
    }

    /** The one stage the flags describe, with the --retrain-* settings. */
    private CompressionPipeline.Stage oneStage(CompressorSpec spec) {
        LrSchedule schedule = switch (retrainLrSchedule) {
            case "inverse_sqrt" -> LrSchedule.INVERSE_SQRT;
            case "cosine" -> LrSchedule.COSINE;
            default -> throw new MtcException("--retrain-lr-schedule must be inverse_sqrt or cosine, got '"
                    + retrainLrSchedule + "'");
        };
        if (retrainSteps > 0) {
            try {
                spec.checkRetraining(retrainSteps);
            } catch (IllegalArgumentException e) {
                throw new MtcException("--retrain-steps " + retrainSteps + ": " + e.getMessage());
            }
            if (retrainWarmup < 1) {
                throw new MtcException("--retrain-warmup must be >= 1, got " + retrainWarmup);
            }
        }
        return new CompressionPipeline.Stage(spec, retrainSteps, retrainLr, retrainWarmup, schedule);
    }

    /** The stages of the --recipe file (with --set applied), checked as strictly as any config file. */
    private List<CompressionPipeline.Stage> recipeStages() {
        List<String> stageFlags = new ArrayList<>();
        for (String flag : List.of("--config", "--compressor", "--bits", "--scope", "--include", "--exclude",
                "--retrain-steps", "--retrain-lr", "--retrain-warmup", "--retrain-lr-schedule")) {
            if (commandSpec != null && commandSpec.commandLine().getParseResult().hasMatchedOption(flag)) {
                stageFlags.add(flag);
            }
        }
        if (!stageFlags.isEmpty()) {
            throw new MtcException("--recipe: each stage of the recipe file has its compressor, scope and retrain:; "
                    + "drop " + String.join(", ", stageFlags) + " (or change the file with --set stages.N.KEY=VALUE)");
        }
        return ConfigLoader.load(recipe, overrides, Recipe.class).value().pipelineStages();
    }

    /** The compressor seeds of stage {@code k} (0-based), by their names ({@link StageRetraining#compressorSeedName}). */
    private static Map<String, Long> stageSeeds(Map<String, Long> all, int k) {
        String prefix = StageRetraining.compressorSeedName("compress", k, 0);
        prefix = prefix.substring(0, prefix.lastIndexOf('/') + 1);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : all.entrySet()) {
            String rest = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : null;
            if (rest != null && !rest.contains("/")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * The new stage's encoding plus the stored forms an input {@code .mtcz} had for tensors this stage left alone,
     * kept only where they still decode to the current values exactly (retraining changes them) and their shared
     * table keys do not clash with the new stage's.
     */
    static Encoding carryOver(Encoding previous, NamedParameters params, Encoding fresh) {
        Map<String, EncodedTensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> tables = new LinkedHashMap<>();
        for (Map.Entry<String, EncodedTensor> e : previous.tensors().entrySet()) {
            EncodedTensor t = e.getValue();
            String key = t.sharedTable();
            if (fresh.tensors().containsKey(e.getKey()) || (key != null && fresh.sharedTables().containsKey(key))
                    || !java.util.Arrays.equals(t.decode(), params.read(e.getKey()))) {
                continue;
            }
            tensors.put(e.getKey(), t);
            if (key != null) {
                tables.put(key, previous.sharedTables().get(key));
            }
        }
        return tensors.isEmpty() ? fresh : new Encoding(tensors, tables).merge(fresh);
    }

    /** The vocabulary files of a .mtck checkpoint (model or piece list), checked against its vocabulary hash. */
    private byte[] vocabBytes(Checkpoint ckpt, boolean pieces) {
        Path model = vocab != null ? vocab : checkpoint.toAbsolutePath().getParent().resolve("vocab.model");
        Path list = SentencePieceVocabulary.piecesFileOf(model);
        if (!Files.isRegularFile(model) || !Files.isRegularFile(list)) {
            throw new MtcException("--export: vocabulary not found: " + model + " and " + list.getFileName()
                    + " beside it (give --vocab): a .mtcz carries its vocabulary");
        }
        try {
            byte[] listBytes = Files.readAllBytes(list);
            if (!Hashing.sha256Hex(listBytes).equals(ckpt.vocab().contentHash())) {
                throw new MtcException("--vocab " + model + ": not the vocabulary " + checkpoint + " was trained with "
                        + "(content hash differs)");
            }
            return pieces ? listBytes : Files.readAllBytes(model);
        } catch (java.io.IOException e) {
            throw new MtcException("cannot read vocabulary " + model + ": " + e.getMessage(), e);
        }
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
                throw new MtcException("--set needs --config (a preset) or --recipe (a recipe file)");
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

    /**
     * Retraining over the run's training data with its recipe (the rule every stage of {@code mtc run} follows too,
     * {@link StageRetraining}), seeds derived from the run config's root seed under {@code retrain:compress/} (and
     * the compressor's under {@code compress:compress/}).
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
