package org.mtcompress.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.data.PreparedData;
import org.mtcompress.util.Json;

/**
 * A training run folder's {@code metrics.json} reports training speed and memory: target tokens per second over
 * the training time, and peak resident memory (ND4J's off-heap arrays included) and Java heap while training and, separately, while decoding
 * the splits (a micro model trained for a few steps on multi30k, decoded at most 16 tokens long).
 */
@Tag("slow")
class TrainRunMemorySlowTest {
    @TempDir
    Path tmp;

    @Test
    void metricsReportTokensPerSecondAndPeakMemoryOfTrainingAndDecoding() throws Exception {
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, "extends: " + TestPaths.projectRoot().resolve("configs/model/tiny.yaml") + "\n"
                + "data: {dataset: multi30k, vocab_size: 1000, mirrors: [" + TestPaths.shared().resolve("multi30k") + "]}\n"
                + "model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.0,"
                + " max_length: 16}\n"
                + "train: {lr: 0.003, warmup_steps: 10, max_steps: 8, token_budget: 1500, validate_every: 0,\n"
                + "        validation_bleu: false, patience: 0, beam: 1}\n");
        Path run = tmp.resolve("run");
        var loaded = ConfigLoader.load(cfg, List.of(), RunConfig.class);
        TrainRun.run(loaded, PreparedData.prepare(loaded.value().data()), run, line -> { }, true);

        JsonNode m = Json.MAPPER.readTree(run.resolve("metrics.json").toFile());
        long tokens = m.get("target_tokens").asLong();
        double seconds = m.get("train_seconds_this_attempt").asDouble();
        double perSecond = m.get("tokens_per_second").asDouble();
        assertTrue(tokens > 8 * 100 && seconds > 0, m.toString());
        assertEquals(tokens / seconds, perSecond, 1e-9 * perSecond, "tokens/s = target tokens / training seconds");

        long whole = m.get("peak_rss_mb").asLong();
        for (String phase : List.of("training", "decoding")) {
            JsonNode p = m.path("memory").path(phase);
            assertTrue(p.isObject(), "memory." + phase + " missing: " + m.get("memory"));
            long rss = p.get("peak_rss_mb").asLong();
            assertTrue(rss >= 50 && rss <= whole, phase + ": peak RSS " + rss + " MB, whole run " + whole);
            long heap = p.get("peak_heap_mb").asLong();
            assertTrue(heap > 0 && heap < rss, phase + ": heap " + heap + " MB, RSS " + rss);
        }
    }
}
