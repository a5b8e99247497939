package org.mtcompress.compress;

import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batcher;
import org.mtcompress.data.EncodedCorpus;
import org.mtcompress.data.Vocabulary;
import org.mtcompress.model.Distillation;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.Retrainer;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;
import org.mtcompress.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How every compression stage retrains, for {@code mtc compress} and {@code mtc run} alike: a fresh
 * {@link Trainer} (fresh Adam moments) on the run's training data with the run's training recipe, changed only in
 * the stage's peak learning rate, warm-up, learning-rate schedule and step count; no time budget, no validation, no early stopping.
 * Its batch order and dropout derive from the run's root seed under the names
 * {@code retrain:<label>/data_order} and {@code retrain:<label>/dropout} for the first stage, and
 * {@code retrain:<label>/stage<k>/...} for stage k ≥ 2 ({@link #seedPrefix}). A compressor's own random seed
 * {@code s} (k-means++ initialization; the {@code seed} setting, default 42) derives from the root seed too, under
 * {@code compress:<label>/seed<s>} and {@code compress:<label>/stage<k>/seed<s>} ({@link #seeded}), so a new root
 * seed changes every random stream of the run, and {@code seed} still picks another stream within it.
 */
public final class StageRetraining implements CompressionPipeline.Retrainers {
    private final Transformer model;
    private final TrainConfig base;
    private final EncodedCorpus train;
    private final Vocabulary vocab;
    private final long rootSeed;
    private final String label;
    private final boolean quiet;
    private final Map<Integer, Trainer.Result> results = new TreeMap<>();
    private Transformer teacher;

    /**
     * @param model    the model whose {@link Transformer#parameters()} the pipeline compresses (the retrainer
     *                 trains this model, whatever parameter view the pipeline passes)
     * @param base     the run's training recipe
     * @param train    the run's training corpus, encoded with {@code vocab}
     * @param rootSeed the run's root seed
     * @param label    the seed names' label: the variant's name, {@code compress} for {@code mtc compress}
     * @param quiet    true for no progress bar
     */
    public StageRetraining(Transformer model, TrainConfig base, EncodedCorpus train, Vocabulary vocab, long rootSeed,
                           String label, boolean quiet) {
        this.model = model;
        this.base = base;
        this.train = train;
        this.vocab = vocab;
        this.rootSeed = rootSeed;
        this.label = label;
        this.quiet = quiet;
    }

    /**
     * Keeps a frozen copy of the model as it is now (call it before compressing) as the teacher of the stages that
     * distill; their trainers compute its distribution on the fly and never update it.
     */
    public StageRetraining teacherFromCurrentWeights() {
        teacher = Transformer.fromParameters(model.config(), model.vocabSize(), model.pieces(), model.padId(),
                model.bosId(), model.eosId(), ParameterMap.copyOf(model.parameters()));
        return this;
    }

    /** The frozen teacher, or null when none was kept. */
    public Transformer teacher() {
        return teacher;
    }

    /** The seed-name prefix of stage {@code index} (0-based) of {@code label}. */
    public static String seedPrefix(String label, int index) {
        return "retrain:" + label + "/" + (index == 0 ? "" : "stage" + (index + 1) + "/");
    }

    /** The seed name of compressor seed {@code seed} in stage {@code index} (0-based) of {@code label}. */
    public static String compressorSeedName(String label, int index, long seed) {
        return "compress:" + label + "/" + (index == 0 ? "" : "stage" + (index + 1) + "/") + "seed" + seed;
    }

    /**
     * The recipe as a run with root seed {@code rootSeed} runs it: each stage's compressor seeds derived by name
     * ({@link #compressorSeedName}); each derived seed is added to {@code named} under its name (for provenance).
     */
    public static List<CompressionPipeline.Stage> seeded(List<CompressionPipeline.Stage> stages, long rootSeed,
                                                         String label, Map<String, Long> named) {
        List<CompressionPipeline.Stage> out = new ArrayList<>();
        for (int k = 0; k < stages.size(); k++) {
            CompressionPipeline.Stage st = stages.get(k);
            int index = k;
            CompressorSpec spec = st.compressor().withSeeds(s -> {
                String name = compressorSeedName(label, index, s);
                long derived = Seeds.derive(rootSeed, name);
                named.put(name, derived);
                return derived;
            });
            out.add(new CompressionPipeline.Stage(spec, st.retrainSteps(), st.lr(), st.warmupSteps(), st.lrSchedule(),
                    st.distill()));
        }
        return out;
    }

    /** {@link #seeded(List, long, String, Map)} with this run's root seed and label. */
    public List<CompressionPipeline.Stage> seeded(List<CompressionPipeline.Stage> stages, Map<String, Long> named) {
        return seeded(stages, rootSeed, label, named);
    }

    /** The random streams of stage {@code index}. */
    public TrainSeeds seeds(int index) {
        return TrainSeeds.of(rootSeed, seedPrefix(label, index));
    }

    /** The training recipe of a stage: the run's, with the stage's learning rate, warm-up, schedule and steps. */
    public static TrainConfig config(TrainConfig base, CompressionPipeline.Stage stage) {
        return base.retraining(stage.lr(), stage.warmupSteps(), stage.retrainSteps(), stage.lrSchedule());
    }

    @Override
    public Retrainer forStage(int index, CompressionPipeline.Stage stage) {
        TrainConfig rt = config(base, stage);
        TrainSeeds seeds = seeds(index);
        return (params, steps, hook) -> {
            Trainer trainer = new Trainer(model, rt, seeds).addHook(hook)
                    .phase("retrain " + label + (index == 0 ? "" : " stage " + (index + 1)));
            if (stage.distill().active()) {
                if (teacher == null) {
                    throw new IllegalStateException("stage " + (index + 1) + " distills but no teacher was kept "
                            + "(teacherFromCurrentWeights before compressing)");
                }
                trainer.distillFrom(teacher, stage.distill());
            } else {
                model.distill(Distillation.NONE);
            }
            if (quiet) {
                trainer.quiet();
            }
            results.put(index, trainer.fit(epoch -> Batcher.training(train, vocab, rt.tokenBudget(), rt.maxLength(),
                    seeds.dataOrder(), epoch), null, null, vocab.contentHash()));
        };
    }

    /** What each stage's retraining did (stages that retrained), by 0-based stage index. */
    public Map<Integer, Trainer.Result> results() {
        return results;
    }
}
