package org.mtcompress.experiment;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.util.Json;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poster's retraining options through {@code mtc run} on a tiny model: a control row, a distilled k-means row
 * with the cosine schedule, pruning spread over its retraining budget, and BLEU on every test split in the table.
 */
@Tag("slow")
class RetrainingRowsSlowTest {
    @TempDir
    Path tmp;

    @Test
    void controlDistillationAndPruningOverTheBudgetReachTheTable() throws Exception {
        Path tiny = TestPaths.projectRoot().resolve("configs/model/tiny.yaml");
        String yaml = "extends: " + tiny + "\n"
                + "experiment: rt\n"
                + "seed: 5\n"
                + "data: {dataset: multi30k, vocab_size: 1000, mirrors: [" + TestPaths.shared().resolve("multi30k") + "]}\n"
                + "model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.0}\n"
                + "train: {lr: 0.003, warmup_steps: 20, max_steps: 40, token_budget: 1500, validate_every: 20,\n"
                + "        validation_bleu: false, patience: 2, beam: 1}\n"
                + "eval: {beam: 1, max_sentences: 20, bootstrap: 50, all_test_splits: true}\n"
                + "variants:\n"
                + "  - name: control\n"
                + "    compressor: {name: none, scope: {preset: all}}\n"
                + "    control: true\n"
                + "    retrain: {steps: 4, warmup_steps: 1, lr_schedule: cosine}\n"
                + "  - name: kmeans2-kd\n"
                + "    compressor: {name: kmeans, bits: 2, scope: {preset: all}}\n"
                + "    retrain: {steps: 4, warmup_steps: 1, lr_schedule: cosine, kd_alpha: 0.5, kd_temperature: 2}\n"
                + "  - name: prune-fitted\n"
                + "    compressor: {name: prune, scope: {preset: all}, pruning: {start: 0.3, end: 0.6, rounds: 2, "
                + "cubic: true, over_retraining: true, recovery_fraction: 0.25}}\n"
                + "    retrain: {steps: 8, warmup_steps: 1, lr_schedule: cosine}\n";
        Path exp = tmp.resolve("rt.yaml");
        Files.writeString(exp, yaml);
        Path results = tmp.resolve("results");
        List<String> lines = new ArrayList<>();
        ExperimentRunner.Outcome out = new ExperimentRunner(results, TestPaths.projectRoot(), lines::add)
                .run(ConfigLoader.load(exp, List.of(), ExperimentConfig.class));
        assertEquals(0, out.failed(), String.join("\n", lines));
        Table t = out.table();
        assertEquals(List.of("original", "control", "kmeans2-kd", "prune-fitted"), t.stringColumn("variant").asList());
        assertTrue(t.columnNames().contains("BLEU (test_2017_flickr)"), t.columnNames().toString());
        for (int i = 0; i < t.rowCount(); i++) {
            assertTrue(!t.doubleColumn("BLEU (test_2017_flickr)").isMissing(i), "row " + i);
        }
        assertTrue(Files.size(results.resolve("runs/rt/kmeans2-kd/hyp.test_2017_flickr.txt")) > 0);
        // % of control: the distilled row against the control row
        double control = t.doubleColumn("BLEU (test)").getDouble(t.stringColumn("variant").indexOf("control"));
        int kdRow = t.stringColumn("variant").indexOf("kmeans2-kd");
        double kd = t.doubleColumn("BLEU (test)").getDouble(kdRow);
        if (control > 0) {
            assertEquals(100 * kd / control, t.doubleColumn("% of control").getDouble(kdRow), 1e-9);
        }
        Path kdDir = results.resolve("runs/rt/kmeans2-kd");
        Map<?, ?> retrain = (Map<?, ?>) Json.readFile(kdDir.resolve("metrics.json"), Map.class).get("retrain");
        assertEquals(4, ((Number) retrain.get("steps")).intValue());
        // 8 steps, a quarter for recovery: T = 6, masks at steps 0, 3 and 6; the final sparsity holds
        int prune = t.stringColumn("variant").indexOf("prune-fitted");
        assertEquals(0.6, t.doubleColumn("sparsity").getDouble(prune), 0.005);
    }
}
