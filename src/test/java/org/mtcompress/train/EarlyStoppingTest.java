package org.mtcompress.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training until validation stops improving ({@code train.patience}, {@code train.validate_every}) within a step
 * bound, on the tiny model. The validator measures the real validation loss; the score it reports follows a fixed
 * script, so when the plateau comes does not depend on how fast this tiny model learns.
 */
class EarlyStoppingTest {
    @Test
    void stopsAfterPatienceValidationsWithoutImprovementAndKeepsTheBest(@TempDir Path dir) {
        List<Batch> train = TinyData.reversal(16, 8, TrainerTest.V, 5, 1);
        List<Batch> valid = TinyData.reversal(4, 8, TrainerTest.V, 5, 9);
        TrainConfig tc = ConfigLoader.override(TrainConfig.quick(3e-3, 2, 200),
                List.of("validate_every=3", "patience=3"));
        double[] script = {1.0, 2.0, 1.5, 1.9, 1.8, 5.0};
        List<Double> losses = new ArrayList<>();
        Trainer.Validator validator = (model, step) -> {
            double loss = TrainRun.meanLoss(model, valid, 0.1)[0];
            losses.add(loss);
            return new Trainer.Validation(step, loss, loss, null, script[losses.size() - 1]);
        };
        Trainer t = new Trainer(Transformer.create(TrainerTest.small(0), TrainerTest.V, 0, 2, 3, 1), tc,
                TrainSeeds.of(2)).quiet();
        Trainer.Result r = t.fit(epoch -> train, validator, dir, "h");
        // the best score came at the 2nd validation (step 6); three without improvement end training at step 15
        assertEquals("early_stopping", r.stopReason());
        assertEquals(15, r.steps());
        assertEquals(5, r.validations().size());
        assertEquals(6, r.best().step());
        assertTrue(losses.stream().allMatch(l -> l > 0 && Double.isFinite(l)), losses.toString());
        Checkpoint best = Checkpoint.load(dir.resolve("best.mtck"));
        assertEquals(6, best.position().step());
        assertEquals(15, Checkpoint.load(dir.resolve("last.mtck")).position().step());
    }

    @Test
    void theStepBoundEndsARunThatKeepsImproving(@TempDir Path dir) {
        List<Batch> train = TinyData.reversal(16, 8, TrainerTest.V, 5, 1);
        TrainConfig tc = ConfigLoader.override(TrainConfig.quick(3e-3, 2, 12),
                List.of("validate_every=3", "patience=1"));
        int[] n = {0};
        Trainer.Validator improving = (model, step) -> new Trainer.Validation(step, 1, 1, null, ++n[0]);
        Trainer.Result r = new Trainer(Transformer.create(TrainerTest.small(0), TrainerTest.V, 0, 2, 3, 1), tc,
                TrainSeeds.of(2)).quiet().fit(epoch -> train, improving, dir, "h");
        assertEquals("max_steps", r.stopReason());
        assertEquals(12, r.steps());
        assertEquals(12, r.best().step());
    }
}
