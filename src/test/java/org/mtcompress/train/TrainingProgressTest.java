package org.mtcompress.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without a terminal, progress is a full line (phase, step, loss, tokens/s, ETA), at most every N seconds. */
class TrainingProgressTest {
    @Test
    void aLineNamesPhaseStepLossThroughputAndEta() {
        TrainingProgress.Lines p = new TrainingProgress.Lines(System.err, "retrain kmeans4", 200, 0, 0, 0, 30);
        assertEquals("retrain kmeans4: step 50/200, loss 4.321, lr 1.00e-03, 1234 tok/s, elapsed 1:40, ETA 5:00",
                p.line(50, 90, 4.3214, 1e-3, 1234.4, 100));
        // a time budget: what is left of it, scaled from training time to wall time
        TrainingProgress.Lines t = new TrainingProgress.Lines(System.err, "train", 0, 300, 0, 0, 30);
        assertEquals("train: step 10, loss 7.000, lr 2.00e-04, 500 tok/s, elapsed 1:10, ETA 4:40",
                t.line(10, 60, 7, 2e-4, 500, 70));
        // both limits: whichever comes first; unknown before the first step
        TrainingProgress.Lines b = new TrainingProgress.Lines(System.err, "train", 1000, 7200, 0, 0, 30);
        assertTrue(b.line(100, 3600, 3, 1e-3, 10, 3600).endsWith("ETA 1:00:00"));
        assertTrue(new TrainingProgress.Lines(System.err, "train", 0, 0, 0, 0, 30).line(1, 1, 1, 1, 1, 1).endsWith("ETA ?"));
        // resumed after 200 of 300 training seconds: 50 more here took 100 s of wall time, 50 left take 100 s
        TrainingProgress.Lines r = new TrainingProgress.Lines(System.err, "train", 0, 300, 40, 200, 30);
        assertTrue(r.line(60, 250, 7, 2e-4, 500, 100).endsWith("elapsed 1:40, ETA 1:40"));
    }

    @Test
    void linesAreThrottledAndTheLastStateIsPrintedAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (TrainingProgress.Lines p = new TrainingProgress.Lines(out, "train", 5, 0, 0, 0, 3600)) {
            for (int step = 1; step <= 5; step++) {
                p.update(step, step, 5.0 / step, 1e-3, 100);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("train: step 1/5, loss 5.000"), lines.get(0));
        assertTrue(lines.get(1).startsWith("train: step 5/5, loss 1.000"), lines.get(1));
        assertTrue(lines.get(1).endsWith("ETA 0:00"), lines.get(1));

        bytes.reset();
        try (TrainingProgress.Lines p = new TrainingProgress.Lines(out, "train", 3, 0, 0, 0, 0)) {
            for (int step = 1; step <= 3; step++) {
                p.update(step, step, 1, 1e-3, 100);
            }
        }
        assertEquals(3, bytes.toString(StandardCharsets.UTF_8).lines().count(), "every step with a 0-second interval");
    }
}
