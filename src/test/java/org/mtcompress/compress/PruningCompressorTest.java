package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningCompressorTest {
    private static PruningSpec spec(double s0, double s1, int rounds, long stepsPerRound, boolean cubic,
                                    PruningThreshold t) {
        return new PruningSpec("prune", ScopeSpec.of(ScopePreset.ALL), new PruningSettings(s0, s1, rounds, stepsPerRound, cubic, t));
    }

    private static int zeros(float[] v) {
        int z = 0;
        for (float x : v) {
            z += x == 0f ? 1 : 0;
        }
        return z;
    }

    @Test
    void tinyTensorKnownAnswerWithTiesBrokenByPosition() {
        ParameterMap p = new ParameterMap().put("w", new long[] {2, 3}, new float[] {0.5f, -0.1f, 0.3f, 0.1f, -2f, 0.1f});
        // round(0.34 * 6) = 2 of the three weights of magnitude 0.1 are pruned: the first two
        new PruningCompressor(spec(0.34, 0.34, 0, 1, false, PruningThreshold.PER_TENSOR)).compress(p, List.of("w"));
        assertArrayEquals(new float[] {0.5f, 0f, 0.3f, 0f, -2f, 0.1f}, p.read("w"));
    }

    @Test
    void scheduleAsData() {
        PruningSchedule lin = PruningSchedule.of(new PruningSettings(0.3, 0.5, 2, 100, false, PruningThreshold.PER_TENSOR));
        assertEquals(List.of(new PruningSchedule.Point(0, 0.3), new PruningSchedule.Point(100, 0.4),
                new PruningSchedule.Point(200, 0.5)), lin.points());
        PruningSchedule cubic = PruningSchedule.of(new PruningSettings(0.5, 0.8, 3, 10, true, PruningThreshold.PER_TENSOR));
        assertEquals(0.5, cubic.at(0), 1e-12);
        assertEquals(0.8 - 0.3 * 8.0 / 27, cubic.at(10), 1e-12);
        assertEquals(0.8 - 0.3 / 27, cubic.at(20), 1e-12);
        assertEquals(0.8, cubic.at(30), 1e-12);
        assertEquals(-1, cubic.at(15));
        assertThrows(IllegalArgumentException.class,
                () -> new PruningSettings(0.5, 0.3, 1, 1, false, PruningThreshold.PER_TENSOR));
    }

    @Test
    void roundsHitTheExactSparsityAndMasksHoldBetweenRounds() {
        ParameterMap p = FakeModel.transformer(1, 8, 16, 20, 7);
        List<String> scope = Scope.resolve(p, ScopeSpec.of(ScopePreset.ALL));
        CompressionState s = new PruningCompressor(spec(0.3, 0.5, 2, 3, false, PruningThreshold.PER_TENSOR)).compress(p, scope);
        for (String name : scope) {
            assertEquals(Math.round(0.3 * p.read(name).length), zeros(p.read(name)), name);
        }
        Random rnd = new Random(1);
        float[] before = p.read("encoder.layers.0.fc1.weight");
        for (int step = 1; step <= 6; step++) {
            FakeModel.randomStep(p, rnd, 0.01);
            s.afterStep(p, step);
            double expected = step < 3 ? 0.3 : step < 6 ? 0.4 : 0.5;
            for (String name : scope) {
                int n = p.read(name).length;
                assertEquals(Math.round(expected * n), zeros(p.read(name)), name + " at step " + step);
            }
            if (step == 1) {
                float[] after = p.read("encoder.layers.0.fc1.weight");
                for (int i = 0; i < after.length; i++) {
                    assertTrue(before[i] != 0f || after[i] == 0f, "a pruned weight came back at " + i);
                }
            }
        }
        Encoding e = s.encode(p);
        for (String name : scope) {
            assertArrayEquals(p.read(name), e.tensors().get(name).decode(), name);
        }
        SizeReport r = SizeReport.of(p, e);
        assertEquals(2.0, r.nominalPruningRatio(), 1e-3);
    }

    @Test
    void globalThresholdHitsTheExactSparsityOverTheUnion() {
        ParameterMap p = new ParameterMap()
                .put("a.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4})
                .put("b.weight", new long[] {1, 4}, new float[] {0.5f, 5, 6, 7});
        new PruningCompressor(spec(0.5, 0.5, 0, 1, false, PruningThreshold.GLOBAL)).compress(p, List.of("a.weight", "b.weight"));
        assertArrayEquals(new float[] {0, 0, 0, 4}, p.read("a.weight"));
        assertArrayEquals(new float[] {0, 5, 6, 7}, p.read("b.weight"));
    }
}
