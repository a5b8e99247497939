package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.ParamSpec;
import org.mtcompress.util.Json;
import tech.tablesaw.api.Table;

/**
 * An experiment with a {@code model: {embedding: hash}} variant on the real multi30k copy: the variant trains its
 * own baseline from scratch (a second content-addressed baseline, no table in its checkpoint), is scored against
 * the original row, and its size is the reference's bits over its own.
 */
@Tag("slow")
class ArchitectureVariantSlowTest {
    @TempDir
    Path tmp;

    @Test
    void hashVariantTrainsItsOwnBaselineAndIsSizedAgainstTheOriginal() throws Exception {
        Path tiny = TestPaths.projectRoot().resolve("configs/model/tiny.yaml");
        String yaml = "extends: " + tiny + "\n"
                + "experiment: hash\n"
                + "seed: 3\n"
                + "data: {dataset: multi30k, vocab_size: 1000, mirrors: [" + TestPaths.shared().resolve("multi30k") + "]}\n"
                + "model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.0}\n"
                + "train: {lr: 0.003, warmup_steps: 20, max_steps: 40, token_budget: 1500, validate_every: 20,\n"
                + "        validation_bleu: false, patience: 0, beam: 1}\n"
                + "eval: {beam: 1, max_sentences: 30, bootstrap: 100}\n"
                + "variants:\n"
                + "  - name: emb-hash\n"
                + "    model: {embedding: hash, hash_dim: 24}\n";
        Path f = tmp.resolve("hash.yaml");
        Files.writeString(f, yaml);
        Path results = tmp.resolve("results");
        List<String> lines = new ArrayList<>();
        ExperimentRunner.Outcome out = new ExperimentRunner(results, TestPaths.projectRoot(), lines::add)
                .run(ConfigLoader.load(f, List.of(), ExperimentConfig.class));
        assertEquals(0, out.failed(), String.join("\n", lines));
        // baseline folders only (a .lock file beside each serializes parallel sweep runs)
        File[] baselines = new File(results.resolve("runs/baselines").toString()).listFiles(File::isDirectory);
        assertEquals(2, baselines.length, "the hash variant has its own baseline");

        Path dir = results.resolve("runs/hash/emb-hash");
        Map<?, ?> metrics = Json.readFile(dir.resolve(RunFolder.METRICS), Map.class);
        Map<?, ?> size = (Map<?, ?>) metrics.get("size");
        String own = String.valueOf(Json.readFile(dir.resolve(RunFolder.PROVENANCE), Map.class).get("variant_baseline_run"));
        Checkpoint ck = Checkpoint.load(results.resolve(own).resolve("last.mtck"));
        assertTrue(ck.model().hashEmbedding() && ck.model().hashDim() == 24);
        assertFalse(ck.parameters().names().contains(ParamSpec.EMBED));
        assertEquals(1000, ck.vocab().pieces().size());
        long stored = ck.parameters().names().stream()
                .mapToLong(n -> java.util.Arrays.stream(ck.parameters().shape(n)).reduce(1, (a, b) -> a * b)).sum();
        assertEquals(32L * stored, ((Number) size.get("stored_bits")).longValue());

        Table t = out.table();
        int i = t.stringColumn("variant").indexOf("emb-hash");
        assertEquals("none", t.stringColumn("compressor").get(i));
        assertEquals(((Number) size.get("ratio")).doubleValue(), t.doubleColumn("ratio (model)").getDouble(i), 1e-9);
        // the tied original has a 1000 x 32 table; the hash model drops it and adds a 32 x 24 projection plus an
        // untied 1000 x 32 output projection, so it is slightly larger
        assertEquals((32L * 24) * 32, ((Number) size.get("stored_bits")).longValue()
                - ((Number) size.get("original_bits")).longValue());
        assertTrue(t.doubleColumn("BLEU (test)").getDouble(i) >= 0);
        assertEquals(30, Files.readAllLines(dir.resolve(ExperimentRunner.HYP_FILE)).size());
    }
}
