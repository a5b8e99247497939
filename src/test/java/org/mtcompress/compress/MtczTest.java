package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.ParamSpec;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.MtcException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MtczTest {
    @TempDir
    Path dir;

    private static CompressorSpec spec(String name, int bits) {
        return name.equals("prune")
                ? new PruningSpec(name, ScopeSpec.of(ScopePreset.ALL), new PruningSettings(0.8, 0.8, 0, 1, false, PruningThreshold.PER_TENSOR))
                : CompressorSpec.defaults(name, bits);
    }

    /**
     * A ~4.6M-parameter model: large enough that the header (names, shapes: ~80 bytes per parameter) is under
     * 1 % of a 1-bit file, as it is for real models.
     */
    @Test
    void roundTripIsExactAndFileSizeMatchesTheReport() throws Exception {
        ParameterMap base = FakeModel.transformer(1, 256, 1024, 3000, 11);
        for (String[] c : new String[][] {{"kmeans", "4"}, {"kmeans", "1"}, {"bsflex", "1"}, {"binary_fixed", "1"}, {"prune", "32"}}) {
            ParameterMap p = ParameterMap.copyOf(base);
            CompressorSpec spec = spec(c[0], Integer.parseInt(c[1]));
            if (c[0].equals("kmeans") && c[1].equals("1")) {
                spec = new KMeansSpec("kmeans", 1, ScopeSpec.of(ScopePreset.ALL),
                        new KMeansSettings(CodebookSharing.LAYER, KMeansInit.LINEAR, KMeansAlgorithm.AUTO, 65536, 100), 42);
            }
            CompressionState s = CompressorRegistry.standard().create(spec).compress(p, Scope.resolve(p, ScopeSpec.of(ScopePreset.ALL)));
            s.afterStep(p, 1);
            Encoding e = s.encode(p);
            Path f = dir.resolve(c[0] + c[1] + ".mtcz");
            Mtcz.write(f, TestHeaders.tiny(), p, e);
            SizeReport report = SizeReport.of(p, e);
            double fileBits = 8.0 * Files.size(f);
            assertTrue(fileBits >= report.storedBits(), c[0] + c[1]);
            assertTrue(fileBits <= report.storedBits() * 1.01, c[0] + c[1] + ": file " + fileBits + " bits vs report " + report.storedBits());
            Mtcz.Contents back = Mtcz.read(f);
            assertEquals(p.names(), back.params().names());
            for (String name : p.names()) {
                assertArrayEquals(p.shape(name), back.params().shape(name), name);
                float[] a = p.read(name);
                float[] b = back.params().read(name);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), name + "[" + i + "]");
                }
            }
            assertEquals(report.storedBits(), SizeReport.of(back.params(), back.encoding()).storedBits(), c[0]);
        }
    }

    @Test
    void damagedFilesAreUserErrorsNamingTheFile() throws Exception {
        ParameterMap p = new ParameterMap().put("a.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4});
        CompressionState s = new KMeansCompressor(KMeansSpec.of(1)).compress(p, List.of("a.weight"));
        Path f = dir.resolve("m.mtcz");
        Mtcz.write(f, TestHeaders.tiny(), p, s.encode(p));
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.mtcz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        MtcException e = assertThrows(MtcException.class, () -> Mtcz.read(cut));
        assertTrue(e.getMessage().contains("cut.mtcz") && e.getMessage().contains("truncated"), e.getMessage());
        Path foreign = dir.resolve("x.mtcz");
        Files.writeString(foreign, "hello world");
        assertTrue(assertThrows(MtcException.class, () -> Mtcz.read(foreign)).getMessage().contains("not an .mtcz"));
        Random rnd = new Random(0);
        assertEquals(4, Mtcz.read(f).params().read("a.weight").length + rnd.nextInt(1));
    }

    /** configs/model/small.yaml. */
    private static final ModelConfig SMALL = new ModelConfig(3, 3, 4, 256, 1024, 0.1, true, true, 256,
            ModelConfig.Embedding.DENSE);

    /** The small model's parameters (configs/model/small.yaml, vocabulary 8000) with random weights. */
    private static ParameterMap smallModel() {
        ParameterMap p = new ParameterMap();
        Random rnd = new Random(5);
        for (ParamSpec s : ParamSpec.all(SMALL, 8000)) {
            float[] v = new float[(int) s.count()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() * 0.05);
            }
            p.put(s.name(), s.shape(), v);
        }
        return p;
    }

    /**
     * Names, shapes, lengths and metadata stay under 1 % of the stored bits for every preset on the small model's
     * shapes (and for the hardest case, k-means 1-bit on every layer); the vocabulary is counted apart.
     */
    @Test
    void headerOverheadIsUnderOnePercentForEveryPresetOnTheSmallModel() throws Exception {
        ParameterMap base = smallModel();
        Mtcz.Header header = TestHeaders.of(SMALL, 8000);
        List<CompressorSpec> specs = new ArrayList<>();
        try (var files = Files.list(Path.of("configs/compress"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                specs.add(ConfigLoader.load(f, List.of(), CompressorSpec.class).value());
            }
        }
        specs.add(CompressorSpec.defaults("kmeans", 1));
        for (CompressorSpec spec : specs) {
            ParameterMap p = ParameterMap.copyOf(base);
            CompressionPipeline.Result r = CompressionPipeline.run(p, spec, CompressorRegistry.standard(), null, 0);
            Path f = dir.resolve("m.mtcz");
            Mtcz.Written w = Mtcz.write(f, header, p, r.encoding());
            assertEquals(Files.size(f), w.fileBytes());
            assertEquals(header.vocabModel().length + header.vocabPieces().length, w.vocabularyBytes());
            assertEquals((r.report().storedBits() + 7) / 8, w.storedBytes());
            assertTrue(w.headerBytes() > 0);
            assertTrue(w.headerPercent() <= 1.0, spec
                    + ": header " + w.headerBytes() + " bytes = " + w.headerPercent() + " %");
        }
    }

    @Test
    void roundTripCarriesVocabularyConfigRecipeAndProvenance() {
        ModelConfig cfg = ModelConfig.tiny().withDropout(0);
        ParameterMap p = new ParameterMap();
        Random rnd = new Random(2);
        for (ParamSpec s : ParamSpec.all(cfg, 50)) {
            float[] v = new float[(int) s.count()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            p.put(s.name(), s.shape(), v);
        }
        CompressionPipeline.Result r = CompressionPipeline.run(p, CompressorSpec.defaults("kmeans", 2),
                CompressorRegistry.standard(), null, 0);
        byte[] model = {9, 8, 7, 6};
        byte[] pieces = "a\t0\nb\t0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> provenance = Map.of("source_sha256", "abc", "source_config_hash", "cfg1",
                "source_git_commit", "0123", "git_commit", "4567");
        Map<String, Object> stage = Map.of("compressor", Map.of("name", "kmeans", "bits", 2));
        Mtcz.Header h = new Mtcz.Header(cfg, new Checkpoint.Vocab(50, 0, 2, 3, "hash"), model, pieces, List.of(stage),
                provenance);
        Path f = dir.resolve("m.mtcz");
        Mtcz.write(f, h, p, r.encoding());
        Mtcz.Contents c = Mtcz.read(f);
        assertEquals(cfg, c.header().model());
        assertEquals(new Checkpoint.Vocab(50, 0, 2, 3, "hash"), c.header().vocab());
        assertArrayEquals(model, c.header().vocabModel());
        assertArrayEquals(pieces, c.header().vocabPieces());
        assertEquals(List.of(stage), c.header().recipe());
        assertEquals(provenance, c.header().provenance());
        assertEquals(p.names(), new ArrayList<>(c.stored().keySet()));
        for (String name : p.names()) {
            assertArrayEquals(p.read(name), c.params().read(name), name);
        }
        assertEquals(r.encoding().tensors().keySet(), c.encoding().tensors().keySet());
        Checkpoint ck = c.toCheckpoint();
        assertEquals(cfg, ck.model());
        ck.toModel();
    }

    @Test
    void aFileOfAnOlderFormatVersionIsRefusedInOneLine() throws Exception {
        ParameterMap p = new ParameterMap().put("a.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4});
        Path f = dir.resolve("old.mtcz");
        Mtcz.write(f, TestHeaders.tiny(), p, Encoding.of(Map.of()));
        byte[] bytes = Files.readAllBytes(f);
        bytes[7] = 1;      // the version int follows the 4-byte magic, big-endian
        Files.write(f, bytes);
        MtcException e = assertThrows(MtcException.class, () -> Mtcz.read(f));
        assertTrue(e.getMessage().contains("old.mtcz") && e.getMessage().contains("version 1")
                && e.getMessage().contains("older"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
