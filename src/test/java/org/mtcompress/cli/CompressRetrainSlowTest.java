package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.train.TrainRun;

/** {@code mtc compress --retrain-steps}: a real micro model trained on multi30k, pruned, retrained, saved. */
@Tag("slow")
class CompressRetrainSlowTest {
    @TempDir
    Path tmp;

    @Test
    void pruneThenRetrainKeepsTheMaskAndWritesACheckpoint() throws Exception {
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, "extends: " + TestPaths.projectRoot().resolve("configs/model/tiny.yaml") + "\n"
                + "data: {dataset: multi30k, vocab_size: 1000, mirrors: [" + TestPaths.shared().resolve("multi30k") + "]}\n"
                + "model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.0}\n"
                + "train: {lr: 0.003, warmup_steps: 10, max_steps: 6, token_budget: 1500, validate_every: 0,\n"
                + "        validation_bleu: false, patience: 0, beam: 1}\n");
        Path run = tmp.resolve("run");
        var loaded = ConfigLoader.load(cfg, List.of(), RunConfig.class);
        TrainRun.run(loaded, org.mtcompress.data.PreparedData.prepare(loaded.value().data()), run, line -> { }, false);
        Path out = tmp.resolve("pruned.mtck");
        Path preset = tmp.resolve("prune.yaml");
        Files.writeString(preset, "name: prune\nscope: {preset: ffn}\npruning: {start: 0.5, end: 0.5, rounds: 0}\n");
        CliTest.Result r = CliTest.run("compress", "--checkpoint", run.resolve("last.mtck").toString(),
                "--config", preset.toString(), "--run-config", cfg.toString(), "--retrain-steps", "3",
                "--output", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("retrained 3 steps"), r.out());

        ParameterMap before = Checkpoint.load(run.resolve("last.mtck")).parameters();
        ParameterMap after = Checkpoint.load(out).parameters();
        float[] fc1 = after.read("encoder.layers.0.fc1.weight");
        long zeros = 0;
        for (float w : fc1) {
            zeros += w == 0f ? 1 : 0;
        }
        assertEquals(Math.round(0.5 * fc1.length), zeros, "pruned weights stay exactly 0 after retraining");
        // retraining moved the unpruned weights outside the scope too
        float[] q0 = before.read("encoder.layers.0.self_attn.q_proj.weight");
        float[] q1 = after.read("encoder.layers.0.self_attn.q_proj.weight");
        boolean moved = false;
        for (int i = 0; i < q0.length; i++) {
            moved |= q0[i] != q1[i];
        }
        assertTrue(moved, "retraining changed no weight");

        // the whole Deep Compression recipe in one call: prune, retrain, k-means on the kept weights, retrain
        Path recipe = tmp.resolve("deep.yaml");
        Files.writeString(recipe, """
                stages:
                  - compressor: {name: prune, scope: {preset: ffn}, pruning: {start: 0.5, end: 0.5, rounds: 0}}
                    retrain: {steps: 3, warmup_steps: 1}
                  - compressor: {name: kmeans, bits: 2, scope: {preset: ffn}}
                    retrain: {steps: 2, warmup_steps: 1}
                """);
        Path deep = tmp.resolve("deep.mtck");
        CliTest.Result d = CliTest.run("compress", "--checkpoint", run.resolve("last.mtck").toString(),
                "--recipe", recipe.toString(), "--run-config", cfg.toString(), "--output", deep.toString());
        assertEquals(0, d.code(), d.err() + d.out());
        assertTrue(d.out().contains("retrained 5 steps over 2 stages"), d.out());
        float[] w = Checkpoint.load(deep).parameters().read("encoder.layers.0.fc1.weight");
        java.util.Set<Float> kept = new java.util.HashSet<>();
        long z = 0;
        for (float x : w) {
            if (x == 0f) {
                z++;
            } else {
                kept.add(x);
            }
        }
        assertEquals(Math.round(0.5 * w.length), z, "the mask holds through both stages' retraining");
        assertTrue(kept.size() <= 4, "the 2-bit codebook holds through retraining: " + kept.size() + " values");
    }
}
