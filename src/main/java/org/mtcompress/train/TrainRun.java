package org.mtcompress.train;

import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.data.Batcher;
import org.mtcompress.data.EncodedCorpus;
import org.mtcompress.data.PreparedData;
import org.mtcompress.data.Vocabulary;
import org.mtcompress.eval.Bleu;
import org.mtcompress.util.MachineInfo;
import org.mtcompress.eval.Score;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.Decoder;
import org.mtcompress.model.Transformer;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One baseline training run end to end: prepare the data, build (or resume) the model, train, decode the
 * validation and test sets with the best checkpoint, and write {@code metrics.json} beside the checkpoints.
 */
public final class TrainRun {
    private TrainRun() {
    }

    /** The random streams of a baseline run: derived from its root seed {@code seed:}. */
    public static TrainSeeds seeds(RunConfig rc) {
        return TrainSeeds.of(rc.seed());
    }

    /** Trains and then decodes the validation and every test split (what {@code mtc train} reports). */
    public static Map<String, Object> run(ConfigLoader.Loaded<RunConfig> loaded, PreparedData data, Path dir,
                                          Consumer<String> log) {
        return run(loaded, data, dir, log, true);
    }

    /**
     * Runs training into {@code dir} on {@code data} (prepared from the config's {@code data:} section with
     * {@link PreparedData#prepare(org.mtcompress.config.DataConfig)}); resumes from {@code dir/last.mtck} when it
     * exists.
     *
     * @return the metrics also written to {@code dir/metrics.json}
     */
    public static Map<String, Object> run(ConfigLoader.Loaded<RunConfig> loaded, PreparedData data, Path dir,
                                          Consumer<String> log, boolean decodeSplits) {
        RunConfig rc = loaded.value();
        TrainConfig tc = rc.train();
        TrainSeeds seeds = seeds(rc);
        long wall0 = System.nanoTime();
        Vocabulary vocab = data.vocab();
        copyVocabulary(data, dir);
        log.accept("data: " + data.train().encoded().size() + " training pairs, vocabulary " + vocab.size());

        Path last = dir.resolve("last.mtck");
        Trainer trainer;
        if (Files.exists(last)) {
            Checkpoint ck = Checkpoint.load(last);
            if (ck.position().seed() != rc.seed()) {
                throw new org.mtcompress.util.MtcException(last + " was trained with root seed " + ck.position().seed()
                        + ", the config says " + rc.seed());
            }
            trainer = Trainer.resume(ck.toModel(rc.model()), tc, seeds, ck);
            Path bestFile = dir.resolve("best.mtck");
            if (Files.exists(bestFile)) {
                Object v = Checkpoint.load(bestFile).extra().get("validation");
                if (v != null) {
                    trainer.bestSoFar(Json.MAPPER.convertValue(v, Trainer.Validation.class));
                }
            }
            log.accept(String.format("resumed at step %d (%.1f s of training so far)", ck.position().step(),
                    ck.position().trainSeconds()));
        } else {
            Transformer m = Transformer.create(rc.model(), vocab.pieces(), vocab.padId(), vocab.bosId(), vocab.eosId(),
                    seeds.init());
            trainer = new Trainer(m, tc, seeds);
        }
        EncodedCorpus train = data.train().encoded();
        Trainer.BatchSource source = epoch -> Batcher.training(train, vocab, tc.tokenBudget(), tc.maxLength(),
                seeds.dataOrder(), epoch);
        List<Batch> validBatches = Batcher.evaluation(data.valid().encoded(), vocab, tc.tokenBudget());
        List<String> validSources = data.valid().text().source();
        List<String> validRefs = data.valid().text().target();
        Trainer.Validator validator = (model, step) -> {
            double[] loss = meanLoss(model, validBatches, tc.labelSmoothing());
            Double bleu = null;
            if (tc.validationBleu()) {
                bleu = bleu(translate(model, vocab, validSources, tc.beam(), tc.lengthPenalty()), validRefs).score();
            }
            log.accept(String.format("step %d: valid loss %.4f nll %.4f%s", step, loss[0], loss[1],
                    bleu == null ? "" : String.format(" BLEU %.2f", bleu)));
            return new Trainer.Validation(step, loss[0], loss[1], bleu, bleu != null ? bleu : -loss[0]);
        };
        MemoryPeaks trainingMemory = MemoryPeaks.start();
        Trainer.Result result = trainer.fit(source, validator, dir, vocab.contentHash());
        MemoryPeaks.Peak trainingPeak = trainingMemory.stop();
        log.accept("stopped: " + result.stopReason() + " after " + result.steps() + " steps");
        trainer.model().releaseTrainingMemory();

        Path best = dir.resolve("best.mtck");
        Transformer finalModel = Files.exists(best) ? Checkpoint.load(best).toModel() : trainer.model();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("steps", result.steps());
        metrics.put("epochs", result.epochs());
        metrics.put("stop_reason", result.stopReason());
        metrics.put("train_seconds", result.trainSeconds());
        metrics.put("train_seconds_this_attempt", result.attemptSeconds());
        metrics.put("target_tokens", result.targetTokens());
        metrics.put("tokens_per_second", result.tokensPerSecond());
        metrics.put("parameters", finalModel.parameters().names().stream()
                .mapToLong(n -> Arrays.stream(finalModel.parameters().shape(n)).reduce(1, (a, b) -> a * b)).sum());
        metrics.put("checkpoint", Files.exists(best) ? "best.mtck" : "last.mtck");
        metrics.put("best_validation", result.best());
        metrics.put("validations", result.validations());
        List<Map<String, Object>> curve = new ArrayList<>();
        for (Trainer.StepLog s : result.curve()) {
            curve.add(Map.of("step", s.step(), "loss", s.loss(), "lr", s.lr(), "grad_norm", s.gradNorm()));
        }
        metrics.put("loss_curve", curve);
        Map<String, Object> bleus = new LinkedHashMap<>();
        List<PreparedData.Split> evalSplits = new ArrayList<>();
        if (decodeSplits) { // an experiment decodes its own test split with its own settings: no need twice
            evalSplits.add(data.valid());
            evalSplits.addAll(data.tests());
        }
        MemoryPeaks decodingMemory = evalSplits.isEmpty() ? null : MemoryPeaks.start();
        for (PreparedData.Split split : evalSplits) {
            long t0 = System.nanoTime();
            List<String> hyps = translate(finalModel, vocab, split.text().source(), tc.beam(), tc.lengthPenalty());
            Score s = bleu(hyps, split.text().target());
            AtomicFiles.writeString(dir.resolve("hyp." + split.name() + ".txt"), String.join("\n", hyps) + "\n");
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("bleu", s.score());
            b.put("signature", s.signature());
            b.put("sacrebleu", s.format(2));
            b.put("decode_seconds", (System.nanoTime() - t0) / 1e9);
            bleus.put(split.name(), b);
            log.accept(split.name() + ": " + s.format(2));
        }
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("training", trainingPeak.toMap());
        if (decodingMemory != null) {
            memory.put("decoding", decodingMemory.stop().toMap());
        }
        metrics.put("bleu", bleus);
        metrics.put("beam", tc.beam());
        metrics.put("length_penalty", tc.lengthPenalty());
        metrics.put("wall_seconds", (System.nanoTime() - wall0) / 1e9);
        metrics.put("peak_rss_mb", MachineInfo.peakRssMb());
        metrics.put("memory", memory);
        metrics.put("config_hash", loaded.hash());
        metrics.put("seeds", seeds.named());
        Json.writeFile(dir.resolve("metrics.json"), metrics);
        return metrics;
    }

    static void copyVocabulary(PreparedData data, Path dir) {
        try {
            Files.createDirectories(dir);
            Path model = data.vocab().modelFile();
            Files.copy(model, dir.resolve("vocab.model"), StandardCopyOption.REPLACE_EXISTING);
            // SentencePieceVocabulary.load reads the piece list from the .vocab file beside the .model
            String stem = model.getFileName().toString().replaceFirst("\\.model$", "");
            Path pieces = model.resolveSibling(stem + ".vocab");
            if (Files.exists(pieces)) {
                Files.copy(pieces, dir.resolve("vocab.vocab"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot copy the vocabulary into " + dir, e);
        }
    }

    /** Mean label-smoothed loss and NLL per target token over {@code batches}. */
    public static double[] meanLoss(Transformer model, List<Batch> batches, double labelSmoothing) {
        double loss = 0, nll = 0;
        long tokens = 0;
        for (Batch b : batches) {
            double[] l = model.evalLoss(b, labelSmoothing);
            loss += l[0] * b.targetTokens();
            nll += l[1] * b.targetTokens();
            tokens += b.targetTokens();
        }
        return new double[]{loss / tokens, nll / tokens};
    }

    /** Detokenized translations of raw source sentences. */
    public static List<String> translate(Transformer model, Vocabulary vocab, List<String> sources, int beam, double lp) {
        List<int[]> ids = new ArrayList<>();
        int cap = model.config().maxLength() - 1;
        for (String s : sources) {
            int[] e = vocab.encode(s);
            ids.add(e.length > cap ? Arrays.copyOf(e, cap) : e);
        }
        List<int[]> out = new Decoder(model, beam, lp).translate(ids, Math.max(8, 128 / beam));
        List<String> text = new ArrayList<>(out.size());
        for (int[] o : out) {
            text.add(vocab.decode(o));
        }
        return text;
    }

    /** sacreBLEU's default corpus BLEU (13a, cased, exp smoothing). */
    public static Score bleu(List<String> hyps, List<String> refs) {
        return new Bleu().corpusScore(hyps, List.of(refs));
    }
}
