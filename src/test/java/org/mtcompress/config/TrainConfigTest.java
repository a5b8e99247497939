package org.mtcompress.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Retraining is derived from the training recipe as a typed copy. */
class TrainConfigTest {
    @Test
    void retrainingKeepsTheRecipeAndRunsExactlyItsSteps() {
        TrainConfig train = ConfigLoader.parse("{lr: 0.001, max_minutes: 30, max_epochs: 3, token_budget: 512, "
                + "label_smoothing: 0.2, patience: 4}", "t", TrainConfig.class).value();
        TrainConfig rt = train.retraining(3e-4, 10, 40);
        assertEquals(3e-4, rt.lr());
        assertEquals(10, rt.warmupSteps());
        assertEquals(40, rt.maxSteps());
        assertEquals(0, rt.maxMinutes(), "retraining is counted in steps, never in minutes");
        assertEquals(1_000_000, rt.maxEpochs());
        assertEquals(0, rt.patience());
        assertFalse(rt.validationBleu());
        assertEquals(512, rt.tokenBudget());
        assertEquals(0.2, rt.labelSmoothing());
        // what the loader would build from the same keys
        assertEquals(ConfigLoader.override(train, List.of("lr=0.0003", "warmup_steps=10", "max_steps=40",
                "max_minutes=0", "max_epochs=1000000", "validate_every=0", "validation_bleu=false", "patience=0")), rt);
        assertThrows(IllegalArgumentException.class, () -> train.retraining(3e-4, 10, 0));
    }
}
