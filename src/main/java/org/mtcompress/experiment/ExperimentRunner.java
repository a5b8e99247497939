package org.mtcompress.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mtcompress.compress.CompressionState;
import org.mtcompress.compress.Compressor;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.compress.Encoding;
import org.mtcompress.compress.Scope;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.compress.ScopeSpec;
import org.mtcompress.compress.SizeReport;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batcher;
import org.mtcompress.data.CacheDirs;
import org.mtcompress.data.DatasetSpecs;
import org.mtcompress.data.EncodedCorpus;
import org.mtcompress.data.PreparedData;
import org.mtcompress.data.Vocabulary;
import org.mtcompress.eval.Score;
import org.mtcompress.eval.Significance;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.Transformer;
import org.mtcompress.report.ExperimentReport;
import org.mtcompress.report.Histogram;
import org.mtcompress.report.TableRow;
import org.mtcompress.train.TrainRun;
import org.mtcompress.train.Trainer;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import tech.tablesaw.api.Table;

/**
 * Runs an experiment: trains the baseline (or reuses the one trained with the same resolved config, found by its
 * hash under {@code runs/baselines/}), evaluates it as the {@code original} row, then for each variant compresses
 * a fresh copy of the baseline, retrains it with the compressor's constraint kept after every step, evaluates it,
 * and finally writes the comparison table and charts.
 *
 * <p>Resuming: finished rows are never recomputed; an unfinished baseline resumes from its last checkpoint; an
 * unfinished or failed variant is recomputed from the baseline. A failing variant is recorded with its error and
 * the others go on.
 */
public final class ExperimentRunner {
    /** Row name of the uncompressed baseline. */
    public static final String ORIGINAL = "original";
    /** Folder under {@code runs/} holding trained baselines by config hash. */
    public static final String BASELINES = "baselines";
    static final String HYP_FILE = "hyp.test.txt";
    private static final int HISTOGRAM_BINS = 121;

    private final Path resultsRoot;
    private final Path projectRoot;
    private final Consumer<String> out;

    /**
     * @param resultsRoot the {@code results/} folder
     * @param projectRoot the checkout (for the git commit in provenance), or null
     * @param out         where progress lines go
     */
    public ExperimentRunner(Path resultsRoot, Path projectRoot, Consumer<String> out) {
        this.resultsRoot = resultsRoot;
        this.projectRoot = projectRoot;
        this.out = out;
    }

    /** What a run did. */
    public record Outcome(Table table, int finished, int failed, int reused, Path tableDir) {
    }

    /** Runs every row that is not finished yet, then rebuilds the table and charts. */
    public Outcome run(ConfigLoader.Loaded<ExperimentConfig> loaded) {
        ExperimentConfig cfg = loaded.value();
        long t0 = System.nanoTime();
        ConfigLoader.Loaded<RunConfig> baseline = ConfigLoader.of(cfg.baseline(), null);
        Path baselineDir = trainBaseline(baseline, cfg.seed());

        PreparedData data = PreparedData.prepare(DatasetSpecs.load(cfg.data().dataset()),
                CacheDirs.resolve(cfg.data().cacheDir() == null ? null : Path.of(cfg.data().cacheDir())),
                cfg.data().vocabSize(), 42, cfg.data().mirrors().stream().map(Path::of).toList());
        PreparedData.Split test = cfg.eval().testSplit() == null ? data.tests().get(0) : data.split(cfg.eval().testSplit());
        int n = cfg.eval().maxSentences() > 0 ? Math.min(cfg.eval().maxSentences(), test.text().source().size())
                : test.text().source().size();
        EvalData eval = new EvalData(test.name(), test.text().source().subList(0, n), test.text().target().subList(0, n));
        Path checkpoint = Files.exists(baselineDir.resolve("best.mtck")) ? baselineDir.resolve("best.mtck")
                : baselineDir.resolve("last.mtck");
        Checkpoint base = Checkpoint.load(checkpoint);

        int finished = 0;
        int failed = 0;
        int reused = 0;
        List<VariantSpec> variants = cfg.variants();
        int total = variants.size() + 1;
        List<String> baseHyps = null;
        for (int i = 0; i <= variants.size(); i++) {
            VariantSpec v = i == 0 ? null : variants.get(i - 1);
            String name = v == null ? ORIGINAL : v.name();
            ConfigLoader.Loaded<RowConfig> rowCfg = ConfigLoader.of(new RowConfig(cfg.baseline(), cfg.eval(), v), null);
            Path dir = RunFolder.pathOf(resultsRoot, cfg.experiment(), name);
            if (RunFolder.isFinished(dir)) {
                out.accept(String.format("[%d/%d] %s: finished earlier, reused", i + 1, total, name));
                reused++;
                if (v == null) {
                    baseHyps = readLines(dir.resolve(HYP_FILE));
                }
                continue;
            }
            if (v != null && baseHyps == null) {
                throw new MtcException("the original row of " + cfg.experiment() + " did not finish; cannot compare variants");
            }
            out.accept(String.format("[%d/%d] %s", i + 1, total, name));
            RunFolder folder = RunFolder.open(resultsRoot, cfg.experiment(), name, rowCfg, cfg.seed(), projectRoot);
            folder.provenance().put("baseline_run", resultsRoot.relativize(baselineDir).toString());
            folder.provenance().put("baseline_checkpoint_sha256", org.mtcompress.util.Hashing.sha256Hex(checkpoint));
            long r0 = System.nanoTime();
            try {
                List<String> hyps = v == null
                        ? runOriginal(cfg, base, data.vocab(), eval, folder, r0)
                        : v.architectureVariant() ? runArchitectureVariant(cfg, v, base, data, eval, baseHyps, folder, r0)
                        : runVariant(cfg, v, base, data, eval, baseHyps, folder, r0);
                if (v == null) {
                    baseHyps = hyps;
                }
                folder.finish();
                finished++;
            } catch (RuntimeException | OutOfMemoryError e) {
                if (v == null) {
                    folder.fail(e);
                    throw e;
                }
                failed++;
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                out.accept("  " + name + " failed: " + msg);
                TableRow row = TableRow.failed(name, v.compressorName(), describeScope(v),
                        (System.nanoTime() - r0) / 1e9, msg);
                folder.writeMetrics(Map.of("row", row, "error", msg));
                folder.fail(e);
            }
        }
        Path tableDir = resultsRoot.resolve(cfg.experiment());
        Table table = ExperimentReport.write(resultsRoot.resolve("runs").resolve(cfg.experiment()), tableDir,
                header(loaded, baseline));
        out.accept(String.format("done in %.1f min: %d rows computed, %d reused, %d failed; table in %s",
                (System.nanoTime() - t0) / 60e9, finished, reused, failed, tableDir));
        return new Outcome(table, finished, failed, reused, tableDir);
    }

    /** The test sentences every row is scored on. */
    record EvalData(String split, List<String> sources, List<String> refs) {
    }

    /** Trains the baseline into {@code runs/baselines/<hash>/} unless a finished one is there; returns its folder. */
    private Path trainBaseline(ConfigLoader.Loaded<RunConfig> baseline, long seed) {
        String run = baseline.shortHash();
        Path dir = RunFolder.pathOf(resultsRoot, BASELINES, run);
        if (RunFolder.isFinished(dir)) {
            out.accept("baseline " + run + ": trained earlier with the same config, reused");
            return dir;
        }
        out.accept("baseline " + run + ": training");
        RunFolder folder = RunFolder.open(resultsRoot, BASELINES, run, baseline, seed, projectRoot);
        try {
            TrainRun.run(baseline, folder.dir(), line -> {
                folder.log(line);
                out.accept("  " + line);
            }, false);
            folder.finish();
        } catch (RuntimeException e) {
            folder.fail(e);
            throw e;
        }
        return dir;
    }

    private List<String> runOriginal(ExperimentConfig cfg, Checkpoint base, Vocabulary vocab, EvalData eval,
                                     RunFolder folder, long r0) {
        Transformer model = base.toModel();
        List<String> hyps = translate(model, vocab, eval, cfg);
        Score bleu = TrainRun.bleu(hyps, eval.refs());
        Significance.SystemResult boot = Significance.pairedBootstrap(List.of(eval.refs()), hyps, hyps,
                cfg.eval().bootstrapSeed());
        writeHistogram(folder, model.parameters(), histogramRange(model.parameters()));
        long weights = totalWeights(model.parameters());
        TableRow row = new TableRow(ORIGINAL, "baseline", "none", "-", bleu.score(),
                ciLow(boot), ciHigh(boot), bleu.signature(), 1.0, 1.0, 32.0, sparsity(model.parameters()), 0, null,
                (System.nanoTime() - r0) / 1e9, "finished", null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("row", row);
        metrics.put("test_split", eval.split());
        metrics.put("test_sentences", eval.refs().size());
        metrics.put("bleu", bleu.format(2));
        metrics.put("parameters", weights);
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(HYP_FILE), String.join("\n", hyps) + "\n");
        out.accept(String.format("  original: BLEU %.2f on %s (%d sentences)", bleu.score(), eval.split(), hyps.size()));
        return hyps;
    }

    private List<String> runVariant(ExperimentConfig cfg, VariantSpec v, Checkpoint base, PreparedData data,
                                    EvalData eval, List<String> baseHyps, RunFolder folder, long r0) {
        Transformer model = base.toModel();
        NamedParameters params = model.parameters();
        double[] range = histogramRange(params);
        CompressorSpec spec = v.compressor();
        List<String> selected = Scope.resolve(params, spec.scope());
        Scope.write(folder.dir().resolve("parameters.txt"), selected);
        Compressor compressor = CompressorRegistry.standard().create(spec);
        CompressionState state = compressor.compress(params, selected);
        folder.log("compressed " + selected.size() + " parameters with " + spec.name());

        Map<String, Object> retrain = new LinkedHashMap<>();
        retrain.put("steps", v.retrain().steps());
        if (v.retrain().steps() > 0) {
            TrainConfig rt = ConfigLoader.override(cfg.train(), List.of(
                    "lr=" + v.retrain().lr(), "warmup_steps=" + v.retrain().warmupSteps(),
                    "max_steps=" + v.retrain().steps(), "max_minutes=0", "max_epochs=1000000", "validate_every=0",
                    "validation_bleu=false", "patience=0"));
            Vocabulary vocab = data.vocab();
            EncodedCorpus train = data.train().encoded();
            long shuffleSeed = folder.provenance().deriveSeed("retrain:" + v.name());
            Trainer trainer = new Trainer(model, rt).addHook(state);
            Trainer.Result result = trainer.fit(epoch -> Batcher.training(train, vocab, rt.tokenBudget(), rt.maxLength(),
                    shuffleSeed, epoch), null, null, vocab.contentHash());
            retrain.put("train_seconds", result.trainSeconds());
            retrain.put("tokens_per_second", result.tokensPerSecond());
            retrain.put("first_loss", result.curve().isEmpty() ? null : result.curve().get(0).loss());
            retrain.put("last_loss", result.curve().isEmpty() ? null : result.curve().get(result.curve().size() - 1).loss());
            folder.log(String.format("retrained %d steps in %.1f s", result.steps(), result.trainSeconds()));
        }

        Encoding encoding = state.encode(params);
        SizeReport size = SizeReport.of(params, encoding);
        AtomicFiles.writeString(folder.dir().resolve("size.txt"), size.toTable());
        List<String> hyps = translate(model, data.vocab(), eval, cfg);
        Score bleu = TrainRun.bleu(hyps, eval.refs());
        Significance.SystemResult sig = Significance.pairedBootstrap(List.of(eval.refs()), baseHyps, hyps,
                cfg.eval().bootstrapSeed());
        if (v.histogram()) {
            writeHistogram(folder, params, range);
        }
        long scopeWeights = selected.stream().mapToLong(name -> count(params.shape(name))).sum();
        TableRow row = new TableRow(v.name(), "variant", spec.name(), describe(spec.scope()), bleu.score(),
                ciLow(sig), ciHigh(sig), bleu.signature(), size.ratio(), size.scopeRatio(),
                (double) size.scopeStoredBits() / scopeWeights, size.scopeSparsity(), v.retrain().steps(),
                sig.pValue(), (System.nanoTime() - r0) / 1e9, "finished", null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("row", row);
        metrics.put("test_split", eval.split());
        metrics.put("test_sentences", eval.refs().size());
        metrics.put("bleu", bleu.format(2));
        metrics.put("size", size.summary());
        metrics.put("retrain", retrain);
        metrics.put("scope_parameters", selected.size());
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(HYP_FILE), String.join("\n", hyps) + "\n");
        out.accept(String.format("  %s: BLEU %.2f, ratio %.2fx (scope %.2fx), p=%.3f", v.name(), bleu.score(),
                size.ratio(), size.scopeRatio(), sig.pValue()));
        return hyps;
    }

    /**
     * A variant with {@code model:} overrides (hash embeddings): trains its own baseline from scratch (content-addressed
     * under {@code runs/baselines/} like the experiment's), evaluates it against the original row, and sizes it
     * against the original model with {@link SizeReport#ofArchitecture}: removed parameters count as stored in 0
     * bits, added ones (a projection, an untied output projection) as fp32.
     */
    private List<String> runArchitectureVariant(ExperimentConfig cfg, VariantSpec v, Checkpoint base, PreparedData data,
                                                EvalData eval, List<String> baseHyps, RunFolder folder, long r0) {
        ConfigLoader.Loaded<RunConfig> own = ConfigLoader.of(cfg.baseline(v), null);
        Path dir = trainBaseline(own, cfg.seed());
        folder.provenance().put("variant_baseline_run", resultsRoot.relativize(dir).toString());
        Path ck = Files.exists(dir.resolve("best.mtck")) ? dir.resolve("best.mtck") : dir.resolve("last.mtck");
        Transformer model = Checkpoint.load(ck).toModel();
        SizeReport size = SizeReport.ofArchitecture(base.parameters(), model.parameters());
        AtomicFiles.writeString(folder.dir().resolve("size.txt"), size.toTable());
        List<String> hyps = translate(model, data.vocab(), eval, cfg);
        Score bleu = TrainRun.bleu(hyps, eval.refs());
        Significance.SystemResult sig = Significance.pairedBootstrap(List.of(eval.refs()), baseHyps, hyps,
                cfg.eval().bootstrapSeed());
        long removed = size.rows().stream().filter(r -> r.compressed()).mapToLong(SizeReport.Row::elements).sum();
        TableRow row = new TableRow(v.name(), "variant", v.compressorName(), describeScope(v), bleu.score(),
                ciLow(sig), ciHigh(sig), bleu.signature(), size.ratio(), size.scopeRatio(),
                removed == 0 ? (Double) null : Double.valueOf((double) size.scopeStoredBits() / removed), 0.0, 0, sig.pValue(),
                (System.nanoTime() - r0) / 1e9, "finished", null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("row", row);
        metrics.put("test_split", eval.split());
        metrics.put("test_sentences", eval.refs().size());
        metrics.put("bleu", bleu.format(2));
        metrics.put("size", size.summary());
        metrics.put("model_overrides", v.model());
        metrics.put("parameters", totalWeights(model.parameters()));
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(HYP_FILE), String.join("\n", hyps) + "\n");
        out.accept(String.format("  %s: BLEU %.2f, ratio %.2fx (scope %.2fx), p=%.3f", v.name(), bleu.score(),
                size.ratio(), size.scopeRatio(), sig.pValue()));
        return hyps;
    }

    /** The scope column: the compressor's scope, or the model overrides of an architecture variant. */
    static String describeScope(VariantSpec v) {
        return v.architectureVariant() ? "model " + v.model() : describe(v.compressor().scope());
    }

    private static List<String> translate(Transformer model, Vocabulary vocab, EvalData eval, ExperimentConfig cfg) {
        return TrainRun.translate(model, vocab, eval.sources(), cfg.eval().beam(), cfg.eval().lengthPenalty());
    }

    private static Double ciLow(Significance.SystemResult r) {
        return r.mean() == null || r.ci() == null ? null : r.mean() - r.ci();
    }

    private static Double ciHigh(Significance.SystemResult r) {
        return r.mean() == null || r.ci() == null ? null : r.mean() + r.ci();
    }

    /** The self-attention weights' value range of the uncompressed model, so every histogram shares its bins. */
    private static double[] histogramRange(NamedParameters params) {
        double m = 0;
        for (String name : selfAttention(params)) {
            for (float w : params.read(name)) {
                m = Math.max(m, Math.abs(w));
            }
        }
        return new double[] {-m, m};
    }

    private static void writeHistogram(RunFolder folder, NamedParameters params, double[] range) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (String name : selfAttention(params)) {
            float[] w = params.read(name);
            parts.add(w);
            n += w.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        double hi = range[1] > 0 ? range[1] : 1;
        Json.writeFile(folder.dir().resolve(ExperimentReport.HISTOGRAM_FILE), Histogram.of(all, HISTOGRAM_BINS, -hi, hi));
    }

    private static List<String> selfAttention(NamedParameters params) {
        return Scope.resolve(params, ScopeSpec.of(ScopePreset.SELF_ATTENTION));
    }

    private static double sparsity(NamedParameters params) {
        long zeros = 0;
        long total = 0;
        for (String name : params.names()) {
            for (float w : params.read(name)) {
                if (w == 0f) {
                    zeros++;
                }
                total++;
            }
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    private static long totalWeights(NamedParameters params) {
        return params.names().stream().mapToLong(name -> count(params.shape(name))).sum();
    }

    private static long count(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** The scope as the table shows it: the preset, plus include/exclude patterns when there are any. */
    static String describe(ScopeSpec s) {
        StringBuilder sb = new StringBuilder(s.preset().name().toLowerCase(java.util.Locale.ROOT));
        if (!s.include().isEmpty()) {
            sb.append(" +").append(s.include());
        }
        if (!s.exclude().isEmpty()) {
            sb.append(" -").append(s.exclude());
        }
        return sb.toString();
    }

    private static String header(ConfigLoader.Loaded<ExperimentConfig> loaded, ConfigLoader.Loaded<RunConfig> baseline) {
        Map<String, Object> machine = MachineInfo.system();
        Map<String, Object> git = Provenance.git(Path.of("").toAbsolutePath());
        return "# " + loaded.value().experiment() + "\n\n"
                + "Produced by `./mtc run " + (loaded.file() == null ? "<in code>" : loaded.file()) + "` — experiment config hash `"
                + loaded.shortHash() + "`, baseline `" + baseline.shortHash() + "`, root seed " + loaded.value().seed()
                + ", commit `" + git.get("git_commit") + "`" + (Boolean.TRUE.equals(git.get("git_dirty")) ? " (dirty)" : "")
                + ", on " + machine.get("cpu_model") + " × " + machine.get("cpu_cores") + " cores, Java "
                + machine.get("java_version") + ". Each row's run folder under `results/runs/"
                + loaded.value().experiment() + "/` holds its config, provenance, metrics and hypotheses.\n"
                + "BLEU: sacreBLEU-compatible corpus BLEU on the test split, detokenized and cased; CI: 95 % paired "
                + "bootstrap; p-value: paired bootstrap against the original.";
    }

    private static List<String> readLines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
