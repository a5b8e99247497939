package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.util.Json;
import org.mtcompress.util.Seeds;
import tech.tablesaw.api.Table;

/**
 * A tiny experiment end to end on the real multi30k copy, with the real DL4J model: a run killed mid-way resumes,
 * a broken variant does not stop the others, the table has its columns and its ratios are the size reports'.
 */
@Tag("slow")
class ExperimentRunnerSlowTest {
    @TempDir
    Path tmp;

    private Path writeExperiment() throws Exception {
        Path tiny = TestPaths.projectRoot().resolve("configs/model/tiny.yaml");
        String yaml = "extends: " + tiny + "\n"
                + "experiment: e2e\n"
                + "seed: 3\n"
                + "data: {dataset: multi30k, vocab_size: 1000, mirrors: [" + TestPaths.shared().resolve("multi30k") + "]}\n"
                + "model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.0}\n"
                + "train: {lr: 0.003, warmup_steps: 20, max_steps: 60, token_budget: 1500, validate_every: 30,\n"
                + "        validation_bleu: false, patience: 0, beam: 1}\n"
                + "eval: {beam: 1, max_sentences: 40, bootstrap: 100}\n"
                + "variants:\n"
                + "  - name: kmeans2\n"
                + "    compressor: {name: kmeans, bits: 2, scope: {preset: all}}\n"
                + "    retrain: {steps: 4}\n"
                + "    histogram: true\n"
                + "  - name: broken\n"
                + "    compressor: {name: kmeans, bits: 2, scope: {preset: none, include: ['nothing\\.matches']}}\n"
                + "  - name: prune-30-50\n"
                + "    compressor: {name: prune, scope: {preset: all}, pruning: {start: 0.3, end: 0.5, rounds: 2, steps_per_round: 1}}\n"
                + "    retrain: {steps: 4}\n"
                + "  - name: emb-clip2\n"
                + "    compressor: {name: uniform_clip, bits: 2, scope: {preset: embeddings}}\n"
                + "    retrain: {steps: 2, warmup_steps: 1}\n"
                + "  - name: deep\n"
                + "    stages:\n"
                + "      - compressor: {name: prune, scope: {preset: all}, pruning: {start: 0.5, end: 0.8, rounds: 2, steps_per_round: 1}}\n"
                + "        retrain: {steps: 3}\n"
                + "      - compressor: {name: kmeans, bits: 2, scope: {preset: all}}\n"
                + "        retrain: {steps: 2, warmup_steps: 1}\n";
        Path f = tmp.resolve("e2e.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void killedRunResumesBrokenVariantIsRecordedAndTableMatchesSizeReports() throws Exception {
        Path exp = writeExperiment();
        Path results = tmp.resolve("results");
        Path original = results.resolve("runs/e2e/original");

        // 1. a real process, killed (SIGKILL) as soon as the original row has finished
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), "org.mtcompress.cli.Main",
                "run", exp.toString(), "--results", results.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("first-run.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(8);
        while (!RunFolder.isFinished(original) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(RunFolder.isFinished(original), "original row never finished; log:\n"
                + Files.readString(tmp.resolve("first-run.log")));
        p.destroyForcibly().waitFor();
        String originalStart = String.valueOf(Json.readFile(original.resolve(RunFolder.PROVENANCE), Map.class).get("start_time"));

        // 2. the same command again, in this process: resumes, computes the rest, records the broken variant
        var loaded = ConfigLoader.load(exp, List.of(), ExperimentConfig.class);
        List<String> lines = new ArrayList<>();
        ExperimentRunner.Outcome out = new ExperimentRunner(results, TestPaths.projectRoot(), lines::add).run(loaded);
        assertEquals(1, out.failed(), String.join("\n", lines));
        assertTrue(out.reused() >= 1, String.join("\n", lines));
        assertEquals(originalStart, String.valueOf(Json.readFile(original.resolve(RunFolder.PROVENANCE), Map.class)
                .get("start_time")), "the finished original row was recomputed");

        Table t = out.table();
        assertEquals(ComparisonTable.COLUMNS, t.columnNames());
        assertEquals(List.of("original", "broken", "deep", "emb-clip2", "kmeans2", "prune-30-50"), t.stringColumn("variant").asList());
        // every row records validation NLL; the clipped-uniform row records its threshold search
        Map<?, ?> clipMetrics = Json.readFile(results.resolve("runs/e2e/emb-clip2").resolve(RunFolder.METRICS), Map.class);
        List<?> clipping = (List<?>) clipMetrics.get("clipping");
        assertEquals(1, clipping.size(), "one embedding table: " + clipping);
        Map<?, ?> tensor = (Map<?, ?>) clipping.get(0);
        assertTrue(((Number) tensor.get("mse")).doubleValue() <= ((Number) tensor.get("mseNoClip")).doubleValue(), tensor.toString());
        assertTrue(((Number) tensor.get("clip")).doubleValue() <= ((Number) tensor.get("maxAbs")).doubleValue(), tensor.toString());
        double nll = ((Number) ((Map<?, ?>) clipMetrics.get("validation")).get("nll")).doubleValue();
        assertTrue(nll > 0 && nll < 20, "validation nll " + nll);
        assertTrue(t.stringColumn("status").get(1).startsWith("failed: ") && t.stringColumn("status").get(1)
                .contains("selects no parameter"), t.stringColumn("status").get(1));
        for (String v : List.of("kmeans2", "prune-30-50", "emb-clip2", "deep")) {
            Path dir = results.resolve("runs/e2e").resolve(v);
            Map<?, ?> metrics = Json.readFile(dir.resolve(RunFolder.METRICS), Map.class);
            Map<?, ?> size = (Map<?, ?>) metrics.get("size");
            Map<?, ?> row = (Map<?, ?>) metrics.get("row");
            int i = t.stringColumn("variant").indexOf(v);
            assertEquals(((Number) size.get("ratio")).doubleValue(), t.doubleColumn("ratio (model)").getDouble(i), 1e-9);
            assertEquals(((Number) row.get("ratio_scope")).doubleValue(), t.doubleColumn("ratio (scope)").getDouble(i), 1e-9);
            assertTrue(t.doubleColumn("ratio (model)").getDouble(i) > 1.5, v);
            assertTrue(Files.readString(dir.resolve("size.txt")).length() > 0);
            assertTrue(RunFolder.isFinished(dir));
        }
        int prune = t.stringColumn("variant").indexOf("prune-30-50");
        assertEquals(0.5, t.doubleColumn("sparsity").getDouble(prune), 0.01);
        // the two-stage recipe: pruned to 80 %, then k-means on the kept weights; both stages retrained
        int deep = t.stringColumn("variant").indexOf("deep");
        assertEquals(0.8, t.doubleColumn("sparsity").getDouble(deep), 0.01);
        assertEquals("prune+kmeans", t.stringColumn("compressor").get(deep));
        Map<?, ?> deepMetrics = Json.readFile(results.resolve("runs/e2e/deep").resolve(RunFolder.METRICS), Map.class);
        List<?> stages = (List<?>) deepMetrics.get("stages");
        assertEquals(2, stages.size(), String.valueOf(stages));
        assertEquals(2, ((Number) ((Map<?, ?>) ((Map<?, ?>) stages.get(1)).get("retrain")).get("steps")).intValue());
        assertTrue(Files.readString(results.resolve("runs/e2e/deep/log.txt")).contains("stage 2: retrained 2 steps"));
        // every random stream of the recipe derives from the root seed by name, and provenance names each
        Map<?, ?> seeds = (Map<?, ?>) Json.readFile(results.resolve("runs/e2e/deep").resolve(RunFolder.PROVENANCE), Map.class).get("seeds");
        assertEquals(Seeds.derive(3, "compress:deep/stage2/seed42"), ((Number) seeds.get("compress:deep/stage2/seed42")).longValue());
        assertEquals(Seeds.derive(3, "retrain:deep/stage2/data_order"), ((Number) seeds.get("retrain:deep/stage2/data_order")).longValue());
        for (String f : List.of("table.csv", "table.md", "bleu_vs_ratio.png", "bleu_bars.png", "weight_histograms.png")) {
            assertTrue(Files.size(results.resolve("runs/e2e").resolve(f)) > 0, f);
        }

        // 3. once more: nothing finished is recomputed; the broken variant is tried again and fails again
        ExperimentRunner.Outcome again = new ExperimentRunner(results, TestPaths.projectRoot(), l -> { }).run(loaded);
        assertEquals(5, again.reused());
        assertEquals(1, again.failed());
        // one baseline folder, found by hash (a .lock file beside it serializes parallel sweep runs)
        File[] baselines = new File(results.resolve("runs/baselines").toString()).listFiles(File::isDirectory);
        assertEquals(1, baselines.length, "one baseline, by hash");
        // the baseline reports its training speed and memory; the original row its memory while decoding
        Map<?, ?> base = Json.readFile(baselines[0].toPath().resolve(RunFolder.METRICS), Map.class);
        assertTrue(((Number) base.get("tokens_per_second")).doubleValue() > 0, base.toString());
        Map<?, ?> training = (Map<?, ?>) ((Map<?, ?>) base.get("memory")).get("training");
        assertTrue(((Number) training.get("peak_rss_mb")).longValue() > 0, base.toString());
        Map<?, ?> orig = Json.readFile(original.resolve(RunFolder.METRICS), Map.class);
        Map<?, ?> decoding = (Map<?, ?>) ((Map<?, ?>) orig.get("memory")).get("decoding");
        assertTrue(((Number) decoding.get("peak_rss_mb")).longValue() > 0, orig.toString());
        assertTrue(((Number) decoding.get("peak_heap_mb")).longValue() > 0, orig.toString());
    }
}
