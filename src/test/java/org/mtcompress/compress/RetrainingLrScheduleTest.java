package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.LrSchedule;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.EncodedCorpus;
import org.mtcompress.data.Vocabulary;
import org.mtcompress.experiment.VariantSpec;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.Trainer;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retraining's own learning-rate schedule: a warm restart, then half a cosine to zero at the last step. */
class RetrainingLrScheduleTest {
    private static final int V = 20;

    @Test
    void cosineWarmsUpThenDecaysToZeroAtTheLastStep() {
        TrainConfig cos = ConfigLoader.override(TrainConfig.quick(1e-3, 4, 20), List.of("lr_schedule=cosine"));
        assertEquals(LrSchedule.COSINE, cos.lrSchedule());
        assertEquals(0.25e-3, cos.lrAt(1), 1e-15);
        assertEquals(0.5e-3, cos.lrAt(2), 1e-15);
        assertEquals(1e-3, cos.lrAt(4), 1e-15);
        assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI / 4)), cos.lrAt(8), 1e-15);
        assertEquals(0.5e-3, cos.lrAt(12), 1e-15);
        assertEquals(0.0, cos.lrAt(20), 1e-18);
        for (long s = 5; s <= 20; s++) {
            assertTrue(cos.lrAt(s) < cos.lrAt(s - 1), "not decreasing at step " + s);
        }
        // the training recipe's shape is unchanged
        TrainConfig inv = TrainConfig.quick(1e-3, 4, 20);
        assertEquals(LrSchedule.INVERSE_SQRT, inv.lrSchedule());
        assertEquals(0.5e-3, inv.lrAt(16), 1e-15);
        assertEquals(0.5e-3, inv.lrAt(2), 1e-15);
    }

    @Test
    void cosineWithoutStepsAfterWarmUpIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "{steps: 10, warmup_steps: 10, lr_schedule: cosine}", "retrain", VariantSpec.RetrainSettings.class));
        assertTrue(e.getMessage().contains("lr_schedule"), e.getMessage());
        VariantSpec.RetrainSettings ok = ConfigLoader.parse("{steps: 30, warmup_steps: 10, lr_schedule: cosine}",
                "retrain", VariantSpec.RetrainSettings.class).value();
        assertEquals(LrSchedule.COSINE, ok.lrSchedule());
    }

    @Test
    void stageRetrainingStepsAtTheStagesSchedule() {
        ModelConfig cfg = new ModelConfig(1, 1, 2, 16, 32, 0, true, true, 32, ModelConfig.Embedding.DENSE);
        Transformer model = Transformer.create(cfg, V, 0, 2, 3, 1);
        Random r = new Random(2);
        int[][] src = new int[24][];
        int[][] tgt = new int[24][];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.ints(2 + r.nextInt(5), 4, V).toArray();
            tgt[i] = r.ints(2 + r.nextInt(5), 4, V).toArray();
        }
        StageRetraining retraining = new StageRetraining(model, TrainConfig.quick(0.0007, 4000, 0),
                new EncodedCorpus(src, tgt), vocab(), 7, "cosine-test", true);
        CompressionPipeline.Stage stage = new CompressionPipeline.Stage(
                CompressorSpec.parse("{name: prune, pruning: {start: 0.5, end: 0.5, rounds: 0}}"), 6, 1e-3, 2,
                LrSchedule.COSINE);
        CompressionPipeline.run(model.parameters(), List.of(stage), CompressorRegistry.standard(), retraining::forStage);
        List<Trainer.StepLog> curve = retraining.results().get(0).curve();
        assertEquals(6, curve.size());
        double[] lr = curve.stream().mapToDouble(Trainer.StepLog::lr).toArray();
        for (int i = 0; i < lr.length; i++) {
            double t = Math.min(1, (i + 1 - 2) / 4.0);
            double want = i + 1 <= 2 ? 1e-3 * (i + 1) / 2 : 1e-3 * 0.5 * (1 + Math.cos(Math.PI * t));
            assertEquals(want, lr[i], 1e-15, "step " + (i + 1));
        }
        assertEquals(0.0, lr[5], 1e-18);
        assertEquals(LrSchedule.COSINE, StageRetraining.config(TrainConfig.quick(0.0007, 4000, 0), stage).lrSchedule());
    }

    private static Vocabulary vocab() {
        return new Vocabulary() {
            public int size() {
                return V;
            }

            public int padId() {
                return 0;
            }

            public int unkId() {
                return 1;
            }

            public int bosId() {
                return 2;
            }

            public int eosId() {
                return 3;
            }

            public int[] encode(String text) {
                throw new UnsupportedOperationException();
            }

            public String decode(int[] ids) {
                return java.util.Arrays.toString(ids);
            }

            public String piece(int id) {
                return "p" + id;
            }

            public String contentHash() {
                return "test-vocab";
            }
        };
    }
}
