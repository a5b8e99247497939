package org.mtcompress.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.compress.Encoding;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.compress.PruningThreshold;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.model.ParameterMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressCommandTest {
    @TempDir
    Path dir;

    /** A small model with real parameter names, saved as an uncompressed .mtcz. */
    private Path model() {
        Random rnd = new Random(1);
        ParameterMap p = new ParameterMap();
        for (String name : List.of("encoder.embed_tokens.weight", "encoder.layers.0.self_attn.q_proj.weight",
                "encoder.layers.0.fc1.weight", "decoder.layers.0.encoder_attn.k_proj.weight")) {
            float[] v = new float[64 * 32];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            p.put(name, new long[] {64, 32}, v);
        }
        p.put("encoder.layers.0.fc1.bias", new long[] {64}, new float[64]);
        Path f = dir.resolve("model.mtcz");
        Mtcz.write(f, org.mtcompress.compress.TestHeaders.tiny(), p, new Encoding(Map.of(), Map.of()));
        return f;
    }

    @Test
    void kmeansExportReportAndScopeFile() throws Exception {
        Path m = model();
        Path out = dir.resolve("k4.mtcz");
        CliTest.Result r = CliTest.run("compress", "--checkpoint", m.toString(), "--compressor", "kmeans", "--bits", "4",
                "--scope", "all", "--exclude", "decoder\\..*", "--export", out.toString(),
                "--scope-file", dir.resolve("scope.txt").toString(), "--report", dir.resolve("size.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("TOTAL") && r.out().contains("wrote"), r.out());
        assertEquals(List.of("encoder.embed_tokens.weight", "encoder.layers.0.self_attn.q_proj.weight",
                "encoder.layers.0.fc1.weight"), Files.readAllLines(dir.resolve("scope.txt")));
        ParameterMap back = Mtcz.read(out).params();
        for (String name : List.of("encoder.embed_tokens.weight", "encoder.layers.0.fc1.weight")) {
            Set<Float> distinct = new HashSet<>();
            for (float x : back.read(name)) {
                distinct.add(x);
            }
            assertTrue(distinct.size() <= 16, name);
        }
        assertTrue(new HashSet<>(List.of(back.read("decoder.layers.0.encoder_attn.k_proj.weight"))).size() > 0);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("size.json").toFile());
        // 3 tensors x 2048 x 4 bits + 3 x 16 centroids x 32 bits; the rest fp32
        long expected = 3 * 2048 * 4 + 3 * 16 * 32 + 32L * (2048 + 64);
        assertEquals(expected, json.get("summary").get("stored_bits").asLong());
    }

    @Test
    void trainingCheckpointInCompressedCheckpointOut() throws Exception {
        org.mtcompress.model.Transformer m = org.mtcompress.model.Transformer.create(new org.mtcompress.config.ModelConfig(
                1, 1, 2, 16, 32, 0, true, true, 32, org.mtcompress.config.ModelConfig.Embedding.DENSE), 20, 0, 2, 3, 1);
        Path in = dir.resolve("last.mtck");
        byte[] pieces = "<pad>\t0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(dir.resolve("vocab.model"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("vocab.vocab"), pieces);
        org.mtcompress.model.Checkpoint.of(m, org.mtcompress.util.Hashing.sha256Hex(pieces), new org.mtcompress.model.Checkpoint.Position(10, 1, 0, 1),
                null, null).save(in);
        Path out = dir.resolve("k2.mtck");
        CliTest.Result r = CliTest.run("compress", "--checkpoint", in.toString(), "--bits", "2", "--scope", "ffn",
                "--output", out.toString(), "--export", dir.resolve("k2.mtcz").toString());
        assertEquals(0, r.code(), r.err());
        org.mtcompress.model.Checkpoint back = org.mtcompress.model.Checkpoint.load(out);
        assertEquals(10, back.position().step());
        ParameterMap packed = Mtcz.read(dir.resolve("k2.mtcz")).params();
        for (String name : back.parameters().names()) {
            float[] v = back.parameters().read(name);
            assertTrue(java.util.Arrays.equals(v, packed.read(name)), name);
            if (name.endsWith("fc1.weight") || name.endsWith("fc2.weight")) {
                Set<Float> d = new HashSet<>();
                for (float x : v) {
                    d.add(x);
                }
                assertTrue(d.size() <= 4, name);
            }
        }
        assertTrue(back.extra().containsKey("compression"));
        back.toModel();
        Mtcz.Header h = Mtcz.read(dir.resolve("k2.mtcz")).header();
        assertArrayEquals(pieces, h.vocabPieces());
        assertEquals(org.mtcompress.util.Hashing.sha256Hex(in), h.provenance().get("source_sha256"));
        assertEquals(1, h.recipe().size());

        // the .mtcz is the input of every option: a second stage on top keeps the first one's stored forms
        Path again = dir.resolve("k2-prune.mtcz");
        Path ck = dir.resolve("from-mtcz.mtck");
        CliTest.Result r2 = CliTest.run("compress", "--checkpoint", dir.resolve("k2.mtcz").toString(), "--compressor",
                "prune", "--scope", "self_attention", "--export", again.toString(), "--output", ck.toString());
        assertEquals(0, r2.code(), r2.err());
        Mtcz.Contents c2 = Mtcz.read(again);
        assertEquals(2, c2.header().recipe().size());
        assertEquals("codebook", c2.stored().get("encoder.layers.0.fc1.weight").kind());
        assertEquals("sparse", c2.stored().get("encoder.layers.0.self_attn.q_proj.weight").kind());
        assertEquals(h.provenance(), c2.header().provenance().get("previous"));
        assertEquals(c2.params().read("decoder.layers.0.fc2.weight").length,
                org.mtcompress.model.Checkpoint.load(ck).parameters().read("decoder.layers.0.fc2.weight").length);

        // without the vocabulary beside the .mtck there is no complete model to export
        Files.delete(dir.resolve("vocab.vocab"));
        CliTest.Result noVocab = CliTest.run("compress", "--checkpoint", in.toString(), "--export",
                dir.resolve("x.mtcz").toString());
        assertEquals(2, noVocab.code());
        assertTrue(noVocab.err().contains("vocabulary not found"), noVocab.err());
    }

    @Test
    void presetWithOverride() {
        Path m = model();
        CliTest.Result r = CliTest.run("compress", "--checkpoint", m.toString(), "--config",
                "configs/compress/prune-30-50.yaml", "--set", "pruning.threshold=global", "--set", "pruning.start=0.5",
                "--report", dir.resolve("p.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sparsity 0.5000"), r.out());
    }

    @Test
    void flagsWinOverThePreset() throws Exception {
        Path m = model();
        CliTest.Result r = CliTest.run("compress", "--checkpoint", m.toString(), "--config",
                "configs/compress/kmeans-4bit.yaml", "--bits", "2", "--scope", "ffn", "--report", dir.resolve("k.json").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("k.json").toFile());
        assertEquals(2, json.get("compressor").get("bits").asInt());
        assertEquals(List.of("encoder.layers.0.fc1.weight"), List.of(json.get("scope").get(0).asText()));
        assertEquals(1, json.get("scope").size());
        assertEquals(2048L * 2 + 4 * 32, json.get("parameters").get(2).get("stored_bits").asLong());
    }

    @Test
    void everyPresetLoads() throws Exception {
        try (var files = Files.list(Path.of("configs/compress"))) {
            List<Path> presets = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(presets.size() >= 6);
            for (Path f : presets) {
                CompressorSpec spec = ConfigLoader.load(f, List.of(), CompressorSpec.class).value();
                assertTrue(org.mtcompress.compress.CompressorRegistry.standard().names().contains(spec.name()), f.toString());
            }
        }
        org.mtcompress.compress.PruningSpec p = (org.mtcompress.compress.PruningSpec) ConfigLoader.load(
                Path.of("configs/compress/prune-50-80.yaml"), List.of(), CompressorSpec.class).value();
        assertEquals(0.8, p.pruning().end());
        assertTrue(p.pruning().cubic());
        assertEquals(PruningThreshold.PER_TENSOR, p.pruning().threshold());
    }

    @Test
    void badInputIsOneLineWithExitCode2() {
        Path m = model();
        CliTest.Result unknown = CliTest.run("compress", "--checkpoint", m.toString(), "--compressor", "kmean");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown compressor 'kmean'") && unknown.err().contains("kmeans"), unknown.err());
        CliTest.Result empty = CliTest.run("compress", "--checkpoint", m.toString(), "--scope", "cross_attention",
                "--exclude", ".*");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("selects no parameter"), empty.err());
        CliTest.Result scope = CliTest.run("compress", "--checkpoint", m.toString(), "--scope", "attn");
        assertEquals(2, scope.code());
        assertTrue(scope.err().contains("self_attention"), scope.err());
        CliTest.Result missing = CliTest.run("compress", "--checkpoint", dir.resolve("nope.mtcz").toString());
        assertEquals(2, missing.code());
        CliTest.Result retrain = CliTest.run("compress", "--checkpoint", m.toString(), "--retrain-steps", "5");
        assertEquals(2, retrain.code());
        assertTrue(retrain.err().contains("--run-config"), retrain.err());
        CliTest.Result bits = CliTest.run("compress", "--checkpoint", m.toString(), "--bits", "9");
        assertEquals(2, bits.code());
        assertEquals(1, bits.err().strip().lines().count(), bits.err());
    }

    @Test
    void translateRefusesAnOlderMtczInOneLine() throws Exception {
        Path f = model();
        byte[] bytes = Files.readAllBytes(f);
        bytes[7] = 1;      // format version 1, as older mtcompress wrote
        Files.write(f, bytes);
        Path text = dir.resolve("src.txt");
        Files.writeString(text, "a man\n");
        CliTest.Result r = CliTest.run("translate", "--checkpoint", f.toString(), "--input", text.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("version 1") && r.err().contains("older"), r.err());
    }

    /** The tiny Transformer's own parameters (all names and shapes), saved as an uncompressed .mtcz. */
    private Path tinyModel() {
        org.mtcompress.model.Transformer t = org.mtcompress.model.Transformer.create(
                org.mtcompress.config.ModelConfig.tiny(), 100, 0, 2, 3, 7);
        Path f = dir.resolve("tiny.mtcz");
        Mtcz.write(f, org.mtcompress.compress.TestHeaders.tiny(), ParameterMap.copyOf(t.parameters()),
                new Encoding(Map.of(), Map.of()));
        return f;
    }

    @Test
    void aRecipeRunsAllItsStagesInOneCallAndKeepsEveryConstraint() throws Exception {
        Path m = tinyModel();
        Path recipe = dir.resolve("deep.yaml");
        Files.writeString(recipe, """
                stages:
                  - compressor: {name: prune, scope: {preset: all}, pruning: {start: 0.6, end: 0.6, rounds: 0}}
                  - compressor: {name: kmeans, bits: 4, scope: {preset: all}}
                """);
        Path out = dir.resolve("deep.mtcz");
        CliTest.Result r = CliTest.run("compress", "--checkpoint", m.toString(), "--recipe", recipe.toString(),
                "--set", "stages.1.compressor.bits=3", "--export", out.toString(),
                "--report", dir.resolve("size.json").toString());
        assertEquals(0, r.code(), r.err());
        Mtcz.Contents back = Mtcz.read(out);
        assertEquals(2, back.header().recipe().size());
        assertEquals("prune", ((Map<?, ?>) back.header().recipe().get(0).get("compressor")).get("name"));
        assertEquals(3, ((Number) ((Map<?, ?>) back.header().recipe().get(1).get("compressor")).get("bits")).intValue());
        String name = "decoder.layers.1.fc2.weight";
        float[] w = back.params().read(name);
        Set<Float> nonZero = new HashSet<>();
        int zeros = 0;
        for (float x : w) {
            if (x == 0f) {
                zeros++;
            } else {
                nonZero.add(x);
            }
        }
        assertEquals(Math.round(0.6 * w.length), zeros, 2.0, "the pruning mask survives the k-means stage");
        assertTrue(nonZero.size() <= 8, "3-bit codebook on the kept weights: " + nonZero.size());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("size.json").toFile());
        assertEquals(2, json.get("stages").size());
        JsonNode row = null;
        for (JsonNode p : json.get("parameters")) {
            if (p.get("name").asText().equals(name)) {
                row = p;
            }
        }
        assertTrue(row.get("mask_bits").asLong() > 0 && row.get("index_bits").asLong() > 0
                && row.get("table_bits").asLong() > 0, row.toString());
        assertEquals(row.get("stored_bits").asLong(), row.get("mask_bits").asLong() + row.get("index_bits").asLong()
                + row.get("table_bits").asLong() + row.get("value_bits").asLong(), row.toString());
    }

    @Test
    void aBadRecipeIsOneLineWithExitCode2BeforeAnythingIsWritten() throws Exception {
        Path m = tinyModel();
        Path recipe = dir.resolve("twice.yaml");
        Files.writeString(recipe, """
                stages:
                  - compressor: {name: kmeans, bits: 2, scope: {preset: attention}}
                  - compressor: {name: bsflex, scope: {preset: self_attention}}
                """);
        Path out = dir.resolve("x.mtcz");
        CliTest.Result overlap = CliTest.run("compress", "--checkpoint", m.toString(), "--recipe", recipe.toString(),
                "--export", out.toString());
        assertEquals(2, overlap.code(), overlap.err());
        assertEquals(1, overlap.err().strip().lines().count(), overlap.err());
        assertTrue(overlap.err().contains("stage 2 (bsflex) would compress"), overlap.err());
        CliTest.Result flags = CliTest.run("compress", "--checkpoint", m.toString(), "--recipe", recipe.toString(),
                "--bits", "2");
        assertEquals(2, flags.code(), flags.err());
        assertTrue(flags.err().contains("drop --bits"), flags.err());
        Files.writeString(recipe, "stages:\n  - compressor: {name: kmeans, bits: 9}\n");
        CliTest.Result bits = CliTest.run("compress", "--checkpoint", m.toString(), "--recipe", recipe.toString());
        assertEquals(2, bits.code(), bits.err());
        assertTrue(bits.err().contains("twice.yaml:2") && bits.err().contains("bits"), bits.err());
        assertTrue(!Files.exists(out));
    }
}
