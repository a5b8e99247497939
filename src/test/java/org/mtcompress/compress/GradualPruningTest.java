package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.train.Retrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cubic (Zhu &amp; Gupta) pruning spread over a stage's retraining budget, leaving recovery steps. */
class GradualPruningTest {
    private static PruningSpec overRetraining(double s0, double s1, int rounds, double recovery) {
        return (PruningSpec) CompressorSpec.parse("{name: prune, pruning: {start: " + s0 + ", end: " + s1 + ", rounds: "
                + rounds + ", cubic: true, over_retraining: true, recovery_fraction: " + recovery + "}}");
    }

    private static double cubic(double s0, double s1, double t, double bigT) {
        return s1 + (s0 - s1) * Math.pow(1 - t / bigT, 3);
    }

    private static int zeros(float[] v) {
        int z = 0;
        for (float x : v) {
            z += x == 0f ? 1 : 0;
        }
        return z;
    }

    @Test
    void scheduleSpansTheBudgetLessTheRecoveryFraction() {
        PruningSpec spec = overRetraining(0.5, 0.8, 5, 0.2);
        PruningSchedule s = PruningSchedule.of(spec.forRetraining(100).pruning());
        // span floor(0.8 * 100) = 80 steps, 5 rounds 16 steps apart, T = 80
        assertEquals(List.of(0L, 16L, 32L, 48L, 64L, 80L), s.points().stream().map(PruningSchedule.Point::step).toList());
        for (PruningSchedule.Point p : s.points()) {
            assertEquals(cubic(0.5, 0.8, p.step(), 80), p.sparsity(), 1e-12, "step " + p.step());
        }
        assertEquals(0.5, s.at(0), 1e-12);
        assertEquals(0.8 - 0.3 * 0.512, s.at(16), 1e-12);
        assertEquals(0.8, s.at(80), 1e-12);
        assertEquals(20, 100 - s.lastStep());

        // a budget that does not divide: 7 rounds over floor(0.75 * 90) = 67 steps -> 9 apart, last at 63
        PruningSchedule odd = PruningSchedule.of(overRetraining(0.3, 0.9, 7, 0.25).forRetraining(90).pruning());
        assertEquals(63, odd.lastStep());
        assertEquals(0.9, odd.at(63), 1e-12);
        assertTrue(90 - odd.lastStep() >= 0.25 * 90);
    }

    @Test
    void budgetChecksNameTheKey() {
        PruningSpec spec = overRetraining(0.5, 0.8, 4, 0.25);
        spec.checkRetraining(8);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> spec.checkRetraining(0));
        assertTrue(none.getMessage().contains("pruning.over_retraining"), none.getMessage());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> spec.checkRetraining(5));
        assertTrue(tooShort.getMessage().contains("pruning.over_retraining"), tooShort.getMessage());
        // without over_retraining the settings stand as written
        PruningSpec fixed = (PruningSpec) CompressorSpec.parse("{name: prune, pruning: {rounds: 2, steps_per_round: 3}}");
        assertSame(fixed, fixed.forRetraining(1000));
    }

    @Test
    void pipelineHitsTheExactSparsityAtEveryMaskUpdateAndHoldsItThroughRecovery() {
        ParameterMap p = FakeModel.transformer(1, 8, 16, 20, 3);
        PruningSpec spec = overRetraining(0.5, 0.8, 4, 0.25);
        long budget = 40;
        // span 30, rounds 7 steps apart: updates after steps 7, 14, 21, 28; steps 29..40 recover at 80 %
        PruningSchedule schedule = PruningSchedule.of(spec.forRetraining(budget).pruning());
        assertEquals(28, schedule.lastStep());
        List<String> scope = Scope.resolve(p, spec.scope());
        Random rnd = new Random(5);
        List<Long> checked = new ArrayList<>();
        Retrainer fake = (params, steps, hook) -> {
            assertEquals(budget, steps);
            double current = 0.5;
            for (long step = 1; step <= steps; step++) {
                FakeModel.randomStep(p, rnd, 0.01);
                hook.afterStep(params, step);
                double target = schedule.at(step);
                if (target >= 0) {
                    assertEquals(cubic(0.5, 0.8, step, 28), target, 1e-12);
                    current = target;
                }
                for (String name : scope) {
                    int n = p.read(name).length;
                    assertEquals(Math.round(current * n), zeros(p.read(name)), name + " after step " + step);
                }
                checked.add(step);
            }
        };
        CompressionPipeline.Result r = CompressionPipeline.run(p, List.of(new CompressionPipeline.Stage(spec, budget,
                1e-3, 1)), CompressorRegistry.standard(), (i, s) -> fake);
        assertEquals(budget, checked.size());
        assertEquals(scope, r.scope());
        for (String name : scope) {
            assertEquals(Math.round(0.8 * p.read(name).length), zeros(p.read(name)), name);
        }
    }
}
