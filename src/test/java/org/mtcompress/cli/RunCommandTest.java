package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mtc run} checks the whole experiment before it trains anything; {@code --dry-run} prints the plan. */
class RunCommandTest {
    @TempDir
    Path dir;

    private static final String HEAD = "experiment: t\nmodel: {d_model: 32, heads: 2}\ntrain: {max_steps: 5}\n";

    @Test
    void aBadGridRunStopsTheRunBeforeAnyTraining() throws Exception {
        Path f = dir.resolve("grid.yaml");
        Files.writeString(f, HEAD + "variants:\n  - name: k2\n    compressor: {name: kmeans, bits: 2}\n"
                + "variant:\n  compressor: {name: kmeans, bits: 4}\n  retrain: {steps: 2}\n"
                + "grid:\n  variant.compressor.bits: [2, 9]\n");
        Path results = dir.resolve("results");
        CliTest.Result r = CliTest.run("run", f.toString(), "--results", results.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("grid.yaml") && r.err().contains("bits9")
                && r.err().contains("'variant.compressor.bits' = 9 is out of range [1, 8]"), r.err());
        assertFalse(Files.exists(results), "nothing is trained or written before the whole experiment is checked");
    }

    @Test
    void dryRunPrintsThePlanAndTrainsNothing() throws Exception {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, HEAD + "variants:\n"
                + "  - name: k2\n    compressor: {name: kmeans, bits: 2, scope: {preset: ffn}}\n    retrain: {steps: 7}\n"
                + "  - name: p\n    compressor: {name: prune, pruning: {start: 0.5, end: 0.8, rounds: 2, steps_per_round: 3}}\n"
                + "    retrain: {steps: 10}\n"
                + "variant:\n  compressor: {name: bsflex}\n  retrain: {steps: 1}\n"
                + "grid:\n  variant.compressor.scope.preset: [all, self_attention]\n");
        Path results = dir.resolve("results");
        CliTest.Result r = CliTest.run("run", f.toString(), "--results", results.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("5 rows, 1 baseline"), out);
        assertTrue(out.contains("train: until 5 steps or 100 epochs"), out);
        assertTrue(out.contains("k2") && out.contains("stage 1: kmeans bits=2 on ffn, retrain 7 steps [to compute]"), out);
        assertTrue(out.contains("stage 1: prune pruning.start=0.5 pruning.end=0.8 pruning.steps_per_round=3 on all, "
                + "retrain 10 steps"), out);
        assertTrue(out.contains("preset_self_attention") || out.contains("self_attention"), out);
        assertTrue(out.contains("stage 1: bsflex bits=1 on self_attention, retrain 1 steps"), out);
        assertFalse(Files.exists(results), "a dry run writes nothing");
    }

    @Test
    void overlappingStageScopesStopTheRunAndTheDryRunAtLoad() throws Exception {
        Path f = dir.resolve("overlap.yaml");
        Files.writeString(f, HEAD + """
                variants:
                  - name: deep            # pruning then k-means on the same scope keeps both: legal
                    stages:
                      - {compressor: {name: prune, pruning: {start: 0.5, end: 0.8, rounds: 2, steps_per_round: 3}}, retrain: {steps: 10}}
                      - {compressor: {name: kmeans, bits: 4}, retrain: {steps: 2}}
                  - name: twice
                    stages:
                      - compressor: {name: kmeans, bits: 2, scope: {preset: attention}}
                      - compressor: {name: bsflex, scope: {preset: self_attention}}
                """);
        Path results = dir.resolve("results");
        for (boolean dry : new boolean[]{true, false}) {
            CliTest.Result r = dry ? CliTest.run("run", f.toString(), "--results", results.toString(), "--dry-run")
                    : CliTest.run("run", f.toString(), "--results", results.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("overlap.yaml:12: key 'variants[1].stages[1].compressor.scope': variant "
                    + "'twice': stage 2 (bsflex) would compress 'encoder.layers.0.self_attn.q_proj.weight' again "
                    + "after stage 1 (kmeans)"), r.err());
            assertFalse(Files.exists(results), "nothing is trained or written before the recipes are checked");
        }
    }
}
