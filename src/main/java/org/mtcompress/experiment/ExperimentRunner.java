package org.mtcompress.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.mtcompress.experiment.sweep.SweepRun;
import org.mtcompress.experiment.sweep.SweepSpec;
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
import org.mtcompress.util.MachineInfo;
import org.mtcompress.util.MtcException;
import tech.tablesaw.api.Table;

/**
 * Runs an experiment: trains the baseline (or reuses the one trained with the same resolved config, found by its
 * hash under {@code runs/baselines/}), evaluates it as the {@code original} row, then for each variant compresses
 * a fresh copy of the baseline, retrains it with the compressor's constraint kept after every step, evaluates it,
 * and finally writes the comparison table and charts.
 *
 * <p>Rows: the original, the listed variants, and the grid runs of the file's {@code grid:}/{@code zip:}
 * ({@link #rows}); {@code mtc run --only NAME} computes one of them, which is how a sweep runs its rows in
 * parallel processes or Slurm tasks.
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

    /** What a run did; {@code table} and {@code tableDir} are null after a single row ({@code --only}). */
    public record Outcome(Table table, int finished, int failed, int reused, Path tableDir) {
    }

    /**
     * One row to compute: its name (run folder and table row), the experiment config it runs under (the file's, or
     * with a grid run's overrides applied, which may change the baseline too), and its variant (null for
     * {@link #ORIGINAL}).
     */
    public record Row(String name, ExperimentConfig cfg, VariantSpec variant, List<String> overrides) {
    }

    /**
     * Every row of an experiment, in order: the original, the listed variants, then the runs of the file's
     * {@code grid:}/{@code zip:} (see {@link SweepSpec}), each the {@code variant:} template with the run's
     * overrides applied to the whole experiment config and named after them.
     */
    public static List<Row> rows(ConfigLoader.Loaded<ExperimentConfig> loaded) {
        ExperimentConfig cfg = loaded.value();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(ORIGINAL, cfg, null, List.of()));
        for (VariantSpec v : cfg.variants()) {
            rows.add(new Row(v.name(), cfg, v, List.of()));
        }
        Path file = loaded.file();
        SweepSpec spec = file == null ? null : SweepSpec.load(file);
        if (spec != null && spec.hasAxes()) {
            if (cfg.variant() == null) {
                throw new MtcException(file + ": grid:/zip: need a 'variant:' section, the template of every grid run");
            }
            Set<String> names = new HashSet<>();
            rows.forEach(r -> names.add(r.name().toLowerCase(java.util.Locale.ROOT)));
            for (SweepRun run : spec.runs()) {
                if (!names.add(run.name().toLowerCase(java.util.Locale.ROOT))) {
                    throw new MtcException(file + ": grid run '" + run.name() + "' has the name of another row");
                }
                ExperimentConfig rc;
                try {
                    rc = ConfigLoader.override(cfg, run.overrides());
                } catch (MtcException e) {
                    throw new MtcException(file + ": grid run '" + run.name() + "': " + e.getMessage(), e);
                }
                if (!rc.experiment().equals(cfg.experiment())) {
                    throw new MtcException(file + ": a grid must not change 'experiment'");
                }
                VariantSpec variant;
                try {
                    variant = rc.variant().named(run.name());
                } catch (IllegalArgumentException e) {
                    throw new MtcException(file + ": grid run '" + run.name() + "': " + e.getMessage(), e);
                }
                rows.add(new Row(run.name(), rc, variant, run.overrides()));
            }
        }
        return rows;
    }

    /** Runs every row that is not finished yet, then rebuilds the table and charts. */
    public Outcome run(ConfigLoader.Loaded<ExperimentConfig> loaded) {
        return run(loaded, null);
    }

    /**
     * Runs every row that is not finished yet and rebuilds the table and charts; with {@code only}, runs just that
     * row (a variant or grid run name, or {@code original}) into the same folder a full run would use, and leaves
     * the table to {@code mtc table} / {@code mtc sweep collect}.
     *
     * @throws MtcException (exit code 2) when {@code only} names no row
     */
    public Outcome run(ConfigLoader.Loaded<ExperimentConfig> loaded, String only) {
        ExperimentConfig cfg = loaded.value();
        long t0 = System.nanoTime();
        List<Row> rows = rows(loaded);
        if (only != null) {
            List<Row> one = rows.stream().filter(r -> r.name().equals(only)).toList();
            if (one.isEmpty()) {
                throw new MtcException("no row '" + only + "' in " + (loaded.file() == null ? cfg.experiment() : loaded.file())
                        + " (rows: " + String.join(", ", rows.stream().map(Row::name).toList()) + ")");
            }
            rows = one;
        }
        Context ctx = new Context();
        int finished = 0;
        int failed = 0;
        int reused = 0;
        int total = rows.size();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            VariantSpec v = r.variant();
            ExperimentConfig rc = r.cfg();
            ConfigLoader.Loaded<RowConfig> rowCfg = ConfigLoader.of(new RowConfig(rc.baseline(), rc.eval(), v), null);
            Path dir = RunFolder.pathOf(resultsRoot, cfg.experiment(), r.name());
            if (RunFolder.isFinished(dir)) {
                String had = RunFolder.configHash(dir);
                if (!rowCfg.hash().equals(had)) {
                    // a finished row is never recomputed, so a changed row must not pass for the old one
                    out.accept(String.format("[%d/%d] %s: failed: finished earlier with another config (hash %s, now %s); "
                                    + "kept as is: rename the variant, or delete %s to recompute it", i + 1, total, r.name(),
                            shortHash(had), shortHash(rowCfg.hash()), dir));
                    failed++;
                    continue;
                }
                out.accept(String.format("[%d/%d] %s: finished earlier, reused", i + 1, total, r.name()));
                reused++;
                continue;
            }
            out.accept(String.format("[%d/%d] %s%s", i + 1, total, r.name(),
                    r.overrides().isEmpty() ? "" : " (" + String.join(" ", r.overrides()) + ")"));
            Base base = ctx.base(rc);
            RunFolder folder = RunFolder.open(resultsRoot, cfg.experiment(), r.name(), rowCfg, rc.seed(), projectRoot);
            folder.provenance().put("baseline_run", resultsRoot.relativize(base.dir()).toString());
            folder.provenance().put("baseline_checkpoint_sha256", org.mtcompress.util.Hashing.sha256Hex(base.checkpoint()));
            if (!r.overrides().isEmpty()) {
                folder.provenance().put("grid_overrides", r.overrides());
            }
            long r0 = System.nanoTime();
            try {
                if (v == null) {
                    ctx.baseHyps.put(base.key(rc.eval()),
                            runOriginal(rc, base.model(), base.data(), base.eval(rc), folder, r0));
                } else if (v.architectureVariant()) {
                    runArchitectureVariant(rc, v, base.model(), base.data(), base.eval(rc), ctx.baseHyps(cfg, rc, base),
                            folder, r0);
                } else {
                    runVariant(rc, v, base.model(), base.data(), base.eval(rc), ctx.baseHyps(cfg, rc, base), folder, r0);
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
                out.accept("  " + r.name() + " failed: " + msg);
                TableRow row = TableRow.failed(r.name(), v.compressorName(), describeScope(v),
                        (System.nanoTime() - r0) / 1e9, msg);
                folder.writeMetrics(Map.of("row", row, "error", msg));
                folder.fail(e);
            }
        }
        if (only != null) {
            out.accept(String.format("done in %.1f min: %s %s", (System.nanoTime() - t0) / 60e9, only,
                    failed > 0 ? "failed" : reused > 0 ? "was finished earlier" : "finished"));
            return new Outcome(null, finished, failed, reused, null);
        }
        Path tableDir = resultsRoot.resolve(cfg.experiment());
        Table table = ExperimentReport.write(resultsRoot.resolve("runs").resolve(cfg.experiment()), tableDir,
                header(loaded, ConfigLoader.of(cfg.baseline(), null)));
        out.accept(String.format("done in %.1f min: %d rows computed, %d reused, %d failed; table in %s",
                (System.nanoTime() - t0) / 60e9, finished, reused, failed, tableDir));
        return new Outcome(table, finished, failed, reused, tableDir);
    }

    private static String shortHash(String hash) {
        return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
    }

    /** The table of an experiment from its run folders alone (what {@code mtc sweep collect} writes). */
    public static Table writeTable(Path resultsRoot, ConfigLoader.Loaded<ExperimentConfig> loaded) {
        ExperimentConfig cfg = loaded.value();
        return ExperimentReport.write(resultsRoot.resolve("runs").resolve(cfg.experiment()),
                resultsRoot.resolve(cfg.experiment()), header(loaded, ConfigLoader.of(cfg.baseline(), null)));
    }

    /** The test sentences every row is scored on. */
    record EvalData(String split, List<String> sources, List<String> refs) {
    }

    /** A trained baseline with its data, loaded once per invocation. */
    private record Base(String hash, Path dir, Path checkpoint, Checkpoint model, PreparedData data) {
        String key(EvalSettings eval) {
            return hash + "/" + ConfigLoader.of(eval, null).hash();
        }

        EvalData eval(ExperimentConfig rc) {
            PreparedData.Split test = rc.eval().testSplit() == null ? data.tests().get(0) : data.split(rc.eval().testSplit());
            int n = rc.eval().maxSentences() > 0 ? Math.min(rc.eval().maxSentences(), test.text().source().size())
                    : test.text().source().size();
            return new EvalData(test.name(), test.text().source().subList(0, n), test.text().target().subList(0, n));
        }
    }

    /** What rows of one invocation share: baselines by config hash, and the baseline's test hypotheses. */
    private final class Context {
        final Map<String, Base> bases = new HashMap<>();
        final Map<String, List<String>> baseHyps = new HashMap<>();

        Base base(ExperimentConfig rc) {
            ConfigLoader.Loaded<RunConfig> baseline = ConfigLoader.of(rc.baseline(), null);
            Base b = bases.get(baseline.hash());
            if (b == null) {
                Path dir = trainBaseline(baseline, rc.seed());
                PreparedData data = PreparedData.prepare(DatasetSpecs.load(rc.data().dataset()),
                        CacheDirs.resolve(rc.data().cacheDir() == null ? null : Path.of(rc.data().cacheDir())),
                        rc.data().vocabSize(), 42, rc.data().mirrors().stream().map(Path::of).toList());
                Path checkpoint = Files.exists(dir.resolve("best.mtck")) ? dir.resolve("best.mtck") : dir.resolve("last.mtck");
                b = new Base(baseline.hash(), dir, checkpoint, Checkpoint.load(checkpoint), data);
                bases.put(baseline.hash(), b);
            }
            return b;
        }

        /**
         * The uncompressed baseline's hypotheses that a variant's p-value is computed against: from this invocation,
         * else from the finished original row when it used the same baseline and evaluation, else decoded now.
         */
        List<String> baseHyps(ExperimentConfig cfg, ExperimentConfig rc, Base base) {
            String key = base.key(rc.eval());
            List<String> hyps = baseHyps.get(key);
            if (hyps != null) {
                return hyps;
            }
            Path original = RunFolder.pathOf(resultsRoot, cfg.experiment(), ORIGINAL);
            String want = ConfigLoader.of(new RowConfig(rc.baseline(), rc.eval(), null), null).hash();
            if (RunFolder.isFinished(original)
                    && want.equals(RunFolder.configHash(original))) {
                hyps = readLines(original.resolve(HYP_FILE));
            } else {
                out.accept("  decoding the uncompressed baseline " + base.hash().substring(0, 12) + " for the p-value");
                hyps = translate(base.model().toModel(), base.data().vocab(), base.eval(rc), rc);
            }
            baseHyps.put(key, hyps);
            return hyps;
        }
    }

    /**
     * Trains the baseline into {@code runs/baselines/<hash>/} unless a finished one is there; returns its folder.
     * Sweep runs in parallel processes may need the same baseline: a file lock beside the folder lets one train
     * it while the others wait and then reuse it. An unfinished baseline (a preempted job) resumes from its
     * last checkpoint.
     */
    private Path trainBaseline(ConfigLoader.Loaded<RunConfig> baseline, long seed) {
        String run = baseline.shortHash();
        Path dir = RunFolder.pathOf(resultsRoot, BASELINES, run);
        if (RunFolder.isFinished(dir)) {
            out.accept("baseline " + run + ": trained earlier with the same config, reused");
            return dir;
        }
        Path lock = dir.resolveSibling(run + ".lock");
        try {
            Files.createDirectories(lock.getParent());
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = ch.tryLock();
                if (held == null) {
                    out.accept("baseline " + run + ": another process is training it; waiting");
                    held = ch.lock();
                }
                try (FileLock ignored = held) {
                    if (RunFolder.isFinished(dir)) {
                        out.accept("baseline " + run + ": trained by another process, reused");
                        return dir;
                    }
                    trainBaselineLocked(baseline, seed, run, dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lock, e);
        }
        return dir;
    }

    private void trainBaselineLocked(ConfigLoader.Loaded<RunConfig> baseline, long seed, String run, Path dir) {
        out.accept("baseline " + run + ": training" + (Files.exists(dir.resolve("last.mtck")) ? " (resuming)" : ""));
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
    }

    private List<String> runOriginal(ExperimentConfig cfg, Checkpoint base, PreparedData data, EvalData eval,
                                     RunFolder folder, long r0) {
        Vocabulary vocab = data.vocab();
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
        Map<String, Object> metrics = rowMetrics(row, eval, bleu, validation(model, data, cfg));
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
            TrainConfig rt = cfg.train().retraining(v.retrain().lr(), v.retrain().warmupSteps(), v.retrain().steps());
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
        Map<String, Object> metrics = rowMetrics(row, eval, bleu, validation(model, data, cfg));
        metrics.put("size", size.summary());
        metrics.put("retrain", retrain);
        metrics.put("scope_parameters", selected.size());
        if (compressor instanceof org.mtcompress.compress.UniformClipCompressor clip) {
            // the clipping search's threshold and its error against plain uniform quantization, per tensor
            metrics.put("clipping", clip.report());
        }
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(HYP_FILE), String.join("\n", hyps) + "\n");
        out.accept(String.format("  %s: BLEU %.2f, ratio %.2fx (scope %.2fx), p=%.3f", v.name(), bleu.score(),
                size.ratio(), size.scopeRatio(), sig.pValue()));
        return hyps;
    }

    /** What every row's metrics.json starts with: the table row, the test split, its BLEU and the validation. */
    private static Map<String, Object> rowMetrics(TableRow row, EvalData eval, Score bleu, Map<String, Object> validation) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("row", row);
        metrics.put("test_split", eval.split());
        metrics.put("test_sentences", eval.refs().size());
        metrics.put("bleu", bleu.format(2));
        metrics.put("validation", validation);
        return metrics;
    }

    /**
     * Per-token NLL and perplexity of the (compressed, retrained) model on the validation split: cheap next to
     * decoding, and it shows damage that BLEU on one test set can hide.
     */
    private static Map<String, Object> validation(Transformer model, PreparedData data, ExperimentConfig cfg) {
        List<org.mtcompress.data.Batch> batches = Batcher.evaluation(data.valid().encoded(), data.vocab(),
                cfg.train().tokenBudget());
        double[] loss = TrainRun.meanLoss(model, batches, cfg.train().labelSmoothing());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("split", data.valid().name());
        out.put("nll", loss[1]);
        out.put("perplexity", Math.exp(loss[1]));
        out.put("label_smoothed_loss", loss[0]);
        return out;
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
        Map<String, Object> metrics = rowMetrics(row, eval, bleu, validation(model, data, cfg));
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
