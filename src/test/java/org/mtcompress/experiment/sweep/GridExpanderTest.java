package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mtcompress.util.MtcException;

class GridExpanderTest {

    private static Map<String, List<?>> grid(Object... kv) {
        Map<String, List<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (List<?>) kv[i + 1]);
        }
        return m;
    }

    @Test
    void cartesianProductInDeclarationOrderFirstKeySlowest() {
        List<SweepRun> runs = GridExpander.expand(Map.of(),
                grid("compress.bits", List.of(4, 1), "compress.scope", List.of("self_attention", "all")), List.of());
        assertEquals(List.of("bits4-scope_self_attention", "bits4-scope_all", "bits1-scope_self_attention",
                "bits1-scope_all"), runs.stream().map(SweepRun::name).toList());
        assertEquals(List.of("compress.bits=1", "compress.scope=self_attention"), runs.get(2).overrides());
    }

    @Test
    void baseOverridesComeFirstAndStayOutOfTheName() {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("train.steps", 200);
        base.put("data.name", "multi30k");
        List<SweepRun> runs = GridExpander.expand(base, grid("seed", List.of(1, 2)), List.of());
        assertEquals("seed1", runs.get(0).name());
        assertEquals(List.of("train.steps=200", "data.name=multi30k", "seed=2"), runs.get(1).overrides());
    }

    @Test
    void zipWalksListsInStepAfterTheGridAxes() {
        Map<String, List<?>> zip = grid("prune.start", List.of(0.3, 0.5), "prune.end", List.of(0.5, 0.8));
        List<SweepRun> runs = GridExpander.expand(Map.of(), grid("seed", List.of(1, 2)), List.of(zip));
        assertEquals(List.of("seed1-start0.3-end0.5", "seed1-start0.5-end0.8", "seed2-start0.3-end0.5",
                "seed2-start0.5-end0.8"), runs.stream().map(SweepRun::name).toList());
        assertEquals(List.of("seed=2", "prune.start=0.5", "prune.end=0.8"), runs.get(3).overrides());
    }

    @Test
    void zipLengthMismatchIsAClearError() {
        Map<String, List<?>> zip = grid("a.x", List.of(1, 2, 3), "a.y", List.of(1, 2));
        MtcException e = assertThrows(MtcException.class, () -> GridExpander.expand(Map.of(), Map.of(), List.of(zip)));
        assertEquals("zip lists must have equal lengths: 'a.x' has 3 values but 'a.y' has 2", e.getMessage());
    }

    @Test
    void sameLastSegmentUsesLongerLabels() {
        List<SweepRun> runs = GridExpander.expand(Map.of(),
                grid("encoder.bits", List.of(4), "decoder.bits", List.of(8), "lr", List.of(0.0001)), List.of());
        assertEquals("encoder_bits4-decoder_bits8-lr0.0001", runs.get(0).name());
        assertEquals(List.of("encoder.bits=4", "decoder.bits=8", "lr=1.0E-4"), runs.get(0).overrides());
    }

    @Test
    void valuesThatSanitizeAlikeGetDistinctHashedNames() {
        List<SweepRun> runs = GridExpander.expand(Map.of(),
                grid("scope", List.of("a/b", "a b", "Other", "other")), List.of());
        Set<String> lower = new HashSet<>();
        for (SweepRun r : runs) {
            assertTrue(r.name().matches("[A-Za-z0-9._+-]+"), r.name());
            assertTrue(lower.add(r.name().toLowerCase(Locale.ROOT)), "case-insensitive duplicate " + r.name());
        }
        assertTrue(runs.get(0).name().matches("scope_a_b-[0-9a-f]{8}"), runs.get(0).name());
        assertNotEquals(runs.get(0).name(), runs.get(1).name());
        // the same expansion twice gives the same names
        assertEquals(runs, GridExpander.expand(Map.of(), grid("scope", List.of("a/b", "a b", "Other", "other")), List.of()));
    }

    @Test
    void listValuesBooleansAndLongNames() {
        String longValue = "x".repeat(300);
        List<SweepRun> runs = GridExpander.expand(Map.of(),
                grid("prune.schedule", List.of(List.of(30, 50)), "retrain", List.of(true),
                        "tag", List.of(longValue)), List.of());
        String name = runs.get(0).name();
        assertTrue(name.startsWith("schedule30_50-retrain_true-tag_xxx"), name);
        assertEquals(GridExpander.MAX_NAME, name.length());
        assertEquals("prune.schedule=[30, 50]", runs.get(0).overrides().get(0));
    }

    @Test
    void noAxesIsOneBaseRun() {
        List<SweepRun> runs = GridExpander.expand(Map.of("seed", 3), Map.of(), List.of());
        assertEquals(List.of(new SweepRun("base", List.of("seed=3"))), runs);
    }

    @Test
    void keyInTwoSectionsOrRepeatedValueIsAnError() {
        MtcException twice = assertThrows(MtcException.class, () -> GridExpander.expand(Map.of("seed", 1),
                grid("seed", List.of(1, 2)), List.of()));
        assertEquals("key 'seed' is set twice: in overrides and in grid", twice.getMessage());
        MtcException dup = assertThrows(MtcException.class,
                () -> GridExpander.expand(Map.of(), grid("bits", List.of(4, 4)), List.of()));
        assertEquals("grid key 'bits' lists the value 4 twice", dup.getMessage());
        assertThrows(MtcException.class, () -> GridExpander.expand(Map.of(), grid("bits", List.of()), List.of()));
    }
}
