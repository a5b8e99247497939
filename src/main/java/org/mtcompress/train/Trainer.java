package org.mtcompress.train;

import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.Distillation;
import org.mtcompress.model.Transformer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop the project owns: forward and backward through the SameDiff graph, global gradient-norm
 * clipping, Adam with the inverse-square-root schedule, then every {@link TrainingHook} — in that order, after
 * each optimizer step, so a hook's writes are what the next forward pass sees.
 *
 * <p>Randomness: data order comes from {@code (data-order seed, epoch)} (see {@link BatchSource}), dropout from
 * {@code (dropout seed, step)} ({@link TrainSeeds}); a checkpoint therefore only needs the step, the epoch and the
 * batch index to resume exactly. The checkpoint also keeps the training seconds spent so far, so
 * {@code max_minutes} counts across resumes.
 */
public final class Trainer {
    /** Training batches of one epoch, the same list for the same epoch. */
    @FunctionalInterface
    public interface BatchSource {
        List<Batch> epoch(int epoch);
    }

    /** Scores the model at a validation point; higher is better (e.g. BLEU, or minus the loss). */
    @FunctionalInterface
    public interface Validator {
        Validation validate(Transformer model, long step);
    }

    /** One validation result: loss per target token, optional BLEU, and the score used to pick the best. */
    public record Validation(long step, double loss, double nll, Double bleu, double score) {
    }

    /** One logged training step. */
    public record StepLog(long step, double loss, double lr, double gradNorm, double seconds) {
    }

    /**
     * What {@link #fit} did. {@code trainSeconds} counts every attempt (what the resumed checkpoint had spent plus
     * this attempt's); {@code attemptSeconds} and {@code targetTokens} are this attempt's.
     */
    public record Result(long steps, int epochs, double trainSeconds, double attemptSeconds, long targetTokens,
                         List<StepLog> curve, List<Validation> validations, Validation best, String stopReason) {
        public double tokensPerSecond() {
            return attemptSeconds > 0 ? targetTokens / attemptSeconds : 0;
        }
    }

    private final Transformer model;
    private final TrainConfig cfg;
    private final TrainSeeds seeds;
    private final List<TrainingHook> hooks = new ArrayList<>();
    private AdamState adam = new AdamState();
    private long step;
    private int epoch;
    private int batchInEpoch;
    /** Training seconds spent before this attempt (from the checkpoint resumed), plus this attempt's so far. */
    private double trainSeconds;
    private boolean progress = true;
    private String phase = "train";

    /** A trainer whose data order and dropout come from {@code seeds} (the model is already initialized). */
    public Trainer(Transformer model, TrainConfig cfg, TrainSeeds seeds) {
        this.model = model;
        this.cfg = cfg;
        this.seeds = seeds;
    }

    /** Continues from a checkpoint: its parameters must already be in {@code model} (see {@link Checkpoint#toModel}). */
    public static Trainer resume(Transformer model, TrainConfig cfg, TrainSeeds seeds, Checkpoint ckpt) {
        Trainer t = new Trainer(model, cfg, seeds);
        t.adam = AdamState.restore(ckpt.optimizer());
        t.step = ckpt.position().step();
        t.epoch = ckpt.position().epoch();
        t.batchInEpoch = ckpt.position().batchInEpoch();
        t.trainSeconds = ckpt.position().trainSeconds();
        return t;
    }

    /** The best validation so far (when resuming, so a worse score does not replace best.mtck). */
    public Trainer bestSoFar(Validation v) {
        best = v;
        return this;
    }

    private Transformer teacher;

    /**
     * Trains with knowledge distillation from {@code teacher} ({@link Distillation}): its distribution is computed
     * on the fly for every batch by its evaluation graph; it is never trained (only this trainer's model is).
     */
    public Trainer distillFrom(Transformer teacher, Distillation d) {
        if (teacher == model) {
            throw new IllegalArgumentException("the teacher must be a separate (frozen) model");
        }
        this.teacher = d.equals(Distillation.NONE) ? null : teacher;
        model.distill(d);
        return this;
    }

    public Trainer addHook(TrainingHook hook) {
        hooks.add(hook);
        return this;
    }

    public Trainer quiet() {
        progress = false;
        return this;
    }

    /** What the progress output calls this training (default {@code train}). */
    public Trainer phase(String name) {
        phase = name;
        return this;
    }

    public long step() {
        return step;
    }

    /** Training seconds spent so far over all attempts. */
    public double trainSeconds() {
        return trainSeconds;
    }

    public Transformer model() {
        return model;
    }

    /** The checkpoint of the current state. */
    public Checkpoint checkpoint(String vocabHash, Map<String, Object> extra) {
        return Checkpoint.of(model, vocabHash, new Checkpoint.Position(step, epoch, batchInEpoch, seeds.root(), trainSeconds),
                adam.export(), extra);
    }

    /** One optimizer step on {@code batch}; returns the log line (loss before the update). */
    public StepLog trainStep(Batch batch) {
        long t0 = System.nanoTime();
        long next = step + 1;
        INDArray soft = teacher == null ? null : teacher.softTargets(batch, model.distillation().temperature());
        Transformer.LossAndGradients lg = model.gradients(batch, cfg.labelSmoothing(), seeds.dropoutAt(next), soft);
        Map<String, INDArray> grads = lg.gradients();
        double norm = globalNorm(grads);
        double scale = cfg.clipNorm() > 0 && norm > cfg.clipNorm() ? cfg.clipNorm() / (norm + 1e-6) : 1.0;
        double lr = cfg.lrAt(next);
        adam.apply(model.arrays(), grads, lr, cfg, next, scale);
        step = next;
        for (TrainingHook h : hooks) {
            h.afterStep(model.parameters(), step);
        }
        // ND4J frees native memory only when Java collects (see the shared SameDiff notes)
        grads.clear();
        System.gc();
        return new StepLog(step, lg.loss(), lr, norm, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The L2 norm of all gradients together. Summed in Java over the native buffers, one array per task: one ND4J
     * norm2 call per parameter (60 for small) cost ~20 ms a step. Each array's sum is in double and the sums are
     * added in map order, so the result does not depend on the thread count.
     */
    static double globalNorm(Map<String, INDArray> grads) {
        List<INDArray> arrays = new ArrayList<>(grads.values());
        double[] sums = new double[arrays.size()];
        java.util.stream.IntStream.range(0, sums.length).parallel().forEach(i -> {
            java.nio.FloatBuffer b = org.mtcompress.util.NdArrays.view(arrays.get(i));
            double s = 0;
            for (int k = 0; k < b.limit(); k++) {
                double x = b.get(k);
                s += x * x;
            }
            sums[i] = s;
        });
        double sq = 0;
        for (double s : sums) {
            sq += s;
        }
        return Math.sqrt(sq);
    }

    /**
     * Trains until {@code max_steps}, {@code max_minutes}, {@code max_epochs} or early stopping. Validates every
     * {@code validate_every} steps (or once per epoch), writes {@code best.mtck} when the score improves and
     * {@code last.mtck} at every validation and at the end (when {@code checkpointDir} is not null).
     */
    public Result fit(BatchSource source, Validator validator, Path checkpointDir, String vocabHash) {
        List<StepLog> curve = new ArrayList<>();
        List<Validation> validations = new ArrayList<>();
        double before = trainSeconds;
        long tokens = 0;
        String stop = null;
        long maxSteps = cfg.maxSteps() > 0 ? cfg.maxSteps() : Long.MAX_VALUE;
        double maxSeconds = cfg.maxMinutes() > 0 ? cfg.maxMinutes() * 60 : Double.MAX_VALUE;
        TrainingProgress bar = progress ? TrainingProgress.create(phase, Math.max(0, cfg.maxSteps()),
                cfg.maxMinutes() > 0 ? cfg.maxMinutes() * 60 : 0, step, trainSeconds) : null;
        double emaLoss = Double.NaN;
        if (step >= maxSteps) {
            stop = "max_steps";
        } else if (trainSeconds >= maxSeconds) {
            stop = "max_minutes"; // a resumed run whose budget was spent before it was interrupted
        }
        try {
            while (stop == null) {
                if (epoch >= cfg.maxEpochs()) {
                    stop = "max_epochs";
                    break;
                }
                List<Batch> batches = source.epoch(epoch);
                while (batchInEpoch < batches.size() && stop == null) {
                    Batch b = batches.get(batchInEpoch);
                    StepLog log = trainStep(b);
                    batchInEpoch++;
                    curve.add(log);
                    trainSeconds += log.seconds();
                    tokens += b.targetTokens();
                    emaLoss = Double.isNaN(emaLoss) ? log.loss() : 0.95 * emaLoss + 0.05 * log.loss();
                    if (bar != null) {
                        bar.update(step, trainSeconds, emaLoss, log.lr(), tokens / (trainSeconds - before));
                    }
                    if (cfg.validateEvery() > 0 && step % cfg.validateEvery() == 0 && validator != null) {
                        if (validate(validator, validations, checkpointDir, vocabHash)) {
                            stop = "early_stopping";
                        }
                    }
                    if (step >= maxSteps) {
                        stop = "max_steps";
                    } else if (trainSeconds >= maxSeconds) {
                        stop = "max_minutes";
                    }
                }
                if (batchInEpoch >= batches.size()) {
                    epoch++;
                    batchInEpoch = 0;
                    if (cfg.validateEvery() == 0 && validator != null && stop == null) {
                        if (validate(validator, validations, checkpointDir, vocabHash)) {
                            stop = "early_stopping";
                        }
                    }
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        if (checkpointDir != null) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("stop_reason", stop);
            checkpoint(vocabHash, extra).save(checkpointDir.resolve("last.mtck"));
        }
        return new Result(step, epoch, trainSeconds, trainSeconds - before, tokens, curve, validations, best, stop);
    }

    private Validation best;
    private int sinceBest;

    /**
     * Validates, keeps {@code best.mtck} when the score improved and {@code last.mtck} always (so an interrupted
     * run can resume); returns true when early stopping should end training.
     */
    private boolean validate(Validator validator, List<Validation> validations, Path dir, String vocabHash) {
        Validation v = validator.validate(model, step);
        validations.add(v);
        boolean improved = best == null || v.score() > best.score();
        if (improved) {
            best = v;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        if (dir != null) {
            Checkpoint ck = checkpoint(vocabHash, Map.of("validation", v));
            if (improved) {
                ck.save(dir.resolve("best.mtck"));
            }
            ck.save(dir.resolve("last.mtck"));
        }
        return !improved && cfg.patience() > 0 && sinceBest >= cfg.patience();
    }
}
