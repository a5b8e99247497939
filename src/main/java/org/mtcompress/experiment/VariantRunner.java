package org.mtcompress.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.Encoding;
import org.mtcompress.compress.Scope;
import org.mtcompress.compress.SizeReport;
import org.mtcompress.compress.StageRetraining;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.data.Batcher;
import org.mtcompress.data.PreparedData;
import org.mtcompress.data.Vocabulary;
import org.mtcompress.eval.Score;
import org.mtcompress.eval.Significance;
import org.mtcompress.infer.StoredForms;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.Transformer;
import org.mtcompress.report.TableRow;
import org.mtcompress.train.MemoryPeaks;
import org.mtcompress.train.TrainRun;
import org.mtcompress.train.Trainer;
import org.mtcompress.util.AtomicFiles;

/**
 * Computes one row of an experiment into its run folder: the original (the baseline decoded and scored), a
 * variant (its recipe run by {@link CompressionPipeline} on a fresh copy of the baseline, then decoded, scored
 * against the original and sized), or an architecture variant (its own baseline from {@link BaselineStore},
 * sized against the experiment's). Each writes {@code metrics.json}, {@code size.txt} and the hypotheses.
 */
final class VariantRunner {
    /** The test sentences every row is scored on. */
    record EvalData(String split, List<String> sources, List<String> refs) {
    }

    private final Path resultsRoot;
    private final BaselineStore baselines;
    private final Consumer<String> out;

    VariantRunner(Path resultsRoot, BaselineStore baselines, Consumer<String> out) {
        this.resultsRoot = resultsRoot;
        this.baselines = baselines;
        this.out = out;
    }

    /** The original row: the baseline decoded and scored; returns its hypotheses (the variants' p-values use them). */
    List<String> runOriginal(ExperimentConfig cfg, Checkpoint base, PreparedData data, EvalData eval,
                             RunFolder folder, long r0) {
        MemoryPeaks decodingMemory = MemoryPeaks.start();
        Vocabulary vocab = data.vocab();
        Transformer model = base.toModel();
        List<String> hyps = translate(model, vocab, eval, cfg);
        Score bleu = TrainRun.bleu(hyps, eval.refs());
        Significance.SystemResult boot = Significance.pairedBootstrap(List.of(eval.refs()), hyps, hyps,
                cfg.eval().bootstrapSeed(cfg.seed()));
        RunReport.writeHistogram(folder, model.parameters(), RunReport.histogramRange(model.parameters()));
        long weights = RunReport.totalWeights(model.parameters());
        TableRow row = new TableRow(ExperimentRunner.ORIGINAL, "baseline", "none", "-", bleu.score(),
                ciLow(boot), ciHigh(boot), bleu.signature(), 1.0, 1.0, 32.0, RunReport.sparsity(model.parameters()), 0, null,
                (System.nanoTime() - r0) / 1e9, "finished", null, model.config().hashEmbedding() ? null
                : StoredForms.residentBytes(model.parameters(), Encoding.of(Map.of())) / 1e6,
                otherSplits(model, data, eval, cfg, folder));
        Map<String, Object> metrics = rowMetrics(row, eval, bleu, validation(model, data, cfg));
        metrics.put("parameters", weights);
        metrics.put("memory", Map.of("decoding", decodingMemory.stop().toMap()));
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(ExperimentRunner.HYP_FILE), String.join("\n", hyps) + "\n");
        out.accept(String.format("  original: BLEU %.2f on %s (%d sentences)", bleu.score(), eval.split(), hyps.size()));
        return hyps;
    }

    /**
     * A variant row: its recipe on a fresh copy of the baseline through the one compression pipeline (retraining
     * by {@link StageRetraining}, seeds under {@code retrain:<variant>/}, compressor seeds under
     * {@code compress:<variant>/}), then decoded, scored and sized.
     */
    List<String> runVariant(ExperimentConfig cfg, VariantSpec v, Checkpoint base, PreparedData data,
                            EvalData eval, List<String> baseHyps, RunFolder folder, long r0) {
        Transformer model = base.toModel();
        NamedParameters params = model.parameters();
        double[] range = RunReport.histogramRange(params);
        StageRetraining retraining = new StageRetraining(model, cfg.train(), data.train().encoded(), data.vocab(),
                cfg.seed(), v.name(), false);
        if (v.pipelineStages().stream().anyMatch(s -> s.distill().active())) {
            retraining.teacherFromCurrentWeights();      // the uncompressed baseline, before any stage compresses
        }
        Map<String, Long> compressorSeeds = new LinkedHashMap<>();
        List<CompressionPipeline.Stage> stages = retraining.seeded(v.pipelineStages(), compressorSeeds);
        compressorSeeds.forEach(folder.provenance()::recordSeed);
        for (int k = 0; k < stages.size(); k++) {
            if (stages.get(k).retrainSteps() > 0) {
                String prefix = StageRetraining.seedPrefix(v.name(), k);
                folder.provenance().recordSeed(prefix + "data_order", retraining.seeds(k).dataOrder());
                folder.provenance().recordSeed(prefix + "dropout", retraining.seeds(k).dropout());
            }
        }
        folder.saveProvenance();
        CompressionPipeline.Result result = CompressionPipeline.run(params, stages, CompressorRegistry.standard(),
                (k, stage) -> {
                    folder.log("stage " + (k + 1) + ": retraining " + stage.retrainSteps() + " steps");
                    return retraining.forStage(k, stage);
                });
        List<String> selected = result.scope();
        Scope.write(folder.dir().resolve("parameters.txt"), selected);
        List<Map<String, Object>> stageMetrics = new ArrayList<>();
        for (CompressionPipeline.StageResult sr : result.stages()) {
            folder.log("stage " + (sr.index() + 1) + ": compressed " + sr.scope().size() + " parameters with "
                    + sr.stage().compressor().name());
            Map<String, Object> retrain = new LinkedHashMap<>();
            retrain.put("steps", sr.stage().retrainSteps());
            Trainer.Result tr = retraining.results().get(sr.index());
            if (tr != null) {
                retrain.put("train_seconds", tr.trainSeconds());
                retrain.put("tokens_per_second", tr.tokensPerSecond());
                retrain.put("first_loss", tr.curve().isEmpty() ? null : tr.curve().get(0).loss());
                retrain.put("last_loss", tr.curve().isEmpty() ? null : tr.curve().get(tr.curve().size() - 1).loss());
                folder.log(String.format("stage %d: retrained %d steps in %.1f s", sr.index() + 1, tr.steps(),
                        tr.trainSeconds()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("compressor", sr.stage().compressor().name());
            m.put("scope", RunReport.describe(sr.stage().compressor().scope()));
            m.put("scope_parameters", sr.scope().size());
            m.put("retrain", retrain);
            stageMetrics.add(m);
        }

        SizeReport size = result.report();
        AtomicFiles.writeString(folder.dir().resolve("size.txt"), size.toTable());
        List<String> hyps = translate(model, data.vocab(), eval, cfg);
        Score bleu = TrainRun.bleu(hyps, eval.refs());
        Significance.SystemResult sig = Significance.pairedBootstrap(List.of(eval.refs()), baseHyps, hyps,
                cfg.eval().bootstrapSeed(cfg.seed()));
        if (v.histogram()) {
            RunReport.writeHistogram(folder, params, range);
        }
        long scopeWeights = selected.stream().mapToLong(name -> RunReport.count(params.shape(name))).sum();
        TableRow row = new TableRow(v.name(), v.role(), v.compressorName(), RunReport.describeScope(v), bleu.score(),
                ciLow(sig), ciHigh(sig), bleu.signature(), size.ratio(), size.scopeRatio(),
                (double) size.scopeStoredBits() / scopeWeights, size.scopeSparsity(), v.retrainSteps(),
                sig.pValue(), (System.nanoTime() - r0) / 1e9, "finished", null, model.config().hashEmbedding() ? null
                : StoredForms.residentBytes(params, result.encoding()) / 1e6,
                otherSplits(model, data, eval, cfg, folder));
        Map<String, Object> metrics = rowMetrics(row, eval, bleu, validation(model, data, cfg));
        metrics.put("size", size.summary());
        if (stageMetrics.size() == 1) {
            metrics.put("retrain", stageMetrics.get(0).get("retrain"));
        } else {
            metrics.put("stages", stageMetrics);
        }
        metrics.put("scope_parameters", selected.size());
        List<Object> clipping = new ArrayList<>();
        for (CompressionPipeline.StageResult sr : result.stages()) {
            if (sr.compressor() instanceof org.mtcompress.compress.UniformClipCompressor clip) {
                clipping.addAll(clip.report());
            }
        }
        if (!clipping.isEmpty()) {
            // the clipping search's threshold and its error against plain uniform quantization, per tensor
            metrics.put("clipping", clipping);
        }
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(ExperimentRunner.HYP_FILE), String.join("\n", hyps) + "\n");
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
    List<String> runArchitectureVariant(ExperimentConfig cfg, VariantSpec v, Checkpoint base, PreparedData data,
                                        EvalData eval, List<String> baseHyps, RunFolder folder, long r0) {
        ConfigLoader.Loaded<RunConfig> own = ConfigLoader.of(cfg.baseline(v), null);
        Path dir = baselines.train(own, data);
        folder.provenance().put("variant_baseline_run", resultsRoot.relativize(dir).toString());
        Transformer model = Checkpoint.load(BaselineStore.checkpoint(dir)).toModel();
        SizeReport size = SizeReport.ofArchitecture(base.parameters(), model.parameters());
        AtomicFiles.writeString(folder.dir().resolve("size.txt"), size.toTable());
        List<String> hyps = translate(model, data.vocab(), eval, cfg);
        Score bleu = TrainRun.bleu(hyps, eval.refs());
        Significance.SystemResult sig = Significance.pairedBootstrap(List.of(eval.refs()), baseHyps, hyps,
                cfg.eval().bootstrapSeed(cfg.seed()));
        long removed = size.rows().stream().filter(r -> r.compressed()).mapToLong(SizeReport.Row::elements).sum();
        TableRow row = new TableRow(v.name(), v.role(), v.compressorName(), RunReport.describeScope(v), bleu.score(),
                ciLow(sig), ciHigh(sig), bleu.signature(), size.ratio(), size.scopeRatio(),
                removed == 0 ? (Double) null : Double.valueOf((double) size.scopeStoredBits() / removed), 0.0, 0, sig.pValue(),
                (System.nanoTime() - r0) / 1e9, "finished", null, null, otherSplits(model, data, eval, cfg, folder));
        Map<String, Object> metrics = rowMetrics(row, eval, bleu, validation(model, data, cfg));
        metrics.put("size", size.summary());
        metrics.put("model_overrides", v.model());
        metrics.put("parameters", RunReport.totalWeights(model.parameters()));
        folder.writeMetrics(metrics);
        AtomicFiles.writeString(folder.dir().resolve(ExperimentRunner.HYP_FILE), String.join("\n", hyps) + "\n");
        out.accept(String.format("  %s: BLEU %.2f, ratio %.2fx (scope %.2fx), p=%.3f", v.name(), bleu.score(),
                size.ratio(), size.scopeRatio(), sig.pValue()));
        return hyps;
    }

    /**
     * BLEU on the data set's test splits other than {@code eval}'s, decoded like it, each split's hypotheses in
     * {@code hyp.<split>.txt}; empty unless {@code eval.all_test_splits}.
     */
    static Map<String, Double> otherSplits(Transformer model, PreparedData data, EvalData eval, ExperimentConfig cfg,
                                           RunFolder folder) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!cfg.eval().allTestSplits()) {
            return out;
        }
        for (PreparedData.Split split : data.tests()) {
            if (split.name().equals(eval.split())) {
                continue;
            }
            int n = cfg.eval().maxSentences() > 0 ? Math.min(cfg.eval().maxSentences(), split.text().source().size())
                    : split.text().source().size();
            EvalData other = new EvalData(split.name(), split.text().source().subList(0, n),
                    split.text().target().subList(0, n));
            List<String> hyps = translate(model, data.vocab(), other, cfg);
            out.put(split.name(), TrainRun.bleu(hyps, other.refs()).score());
            AtomicFiles.writeString(folder.dir().resolve("hyp." + split.name() + ".txt"), String.join("\n", hyps) + "\n");
        }
        return out;
    }

    static List<String> translate(Transformer model, Vocabulary vocab, EvalData eval, ExperimentConfig cfg) {
        return TrainRun.translate(model, vocab, eval.sources(), cfg.eval().beam(), cfg.eval().lengthPenalty());
    }

    private static Double ciLow(Significance.SystemResult r) {
        return r.mean() == null || r.ci() == null ? null : r.mean() - r.ci();
    }

    private static Double ciHigh(Significance.SystemResult r) {
        return r.mean() == null || r.ci() == null ? null : r.mean() + r.ci();
    }
}
