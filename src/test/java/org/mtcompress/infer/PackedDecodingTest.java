package org.mtcompress.infer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.CompressorRegistry;
import org.mtcompress.compress.CompressorSpec;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.compress.PruningSettings;
import org.mtcompress.compress.PruningThreshold;
import org.mtcompress.compress.TestHeaders;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.Decoder;
import org.mtcompress.model.IncrementalModel;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding from a {@code .mtcz}: the plain-Java decoder over dense weights translates like the SameDiff model, and
 * over each stored form like the dense model of the same file, on a tiny model trained in the test.
 */
class PackedDecodingTest {
    private static final int V = 40;
    private static final ModelConfig CFG = new ModelConfig(2, 2, 4, 64, 128, 0, true, true, 48, ModelConfig.Embedding.DENSE);

    @TempDir
    static Path dir;

    private static Transformer trained;
    private static final List<int[]> SOURCES = new ArrayList<>();

    @BeforeAll
    static void train() {
        List<Batch> data = TinyData.reversal(96, 16, V, 7, 4);
        trained = Transformer.create(CFG, V, 0, 2, 3, 1);
        Trainer t = new Trainer(trained, TrainConfig.quick(3e-3, 10, 0), TrainSeeds.of(1)).quiet();
        for (int step = 0; step < 120; step++) {
            t.trainStep(data.get(step % data.size()));
        }
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 12; i++) {
            int[] s = new int[2 + r.nextInt(6)];
            for (int j = 0; j < s.length; j++) {
                s[j] = 4 + r.nextInt(V - 5);
            }
            SOURCES.add(s);
        }
    }

    private static Mtcz.Contents export(String name, CompressorSpec spec) {
        ParameterMap p = ParameterMap.copyOf(trained.parameters());
        CompressionPipeline.Result r = spec == null ? null
                : CompressionPipeline.run(p, spec, CompressorRegistry.standard(), null, 0);
        Path f = dir.resolve(name + ".mtcz");
        Mtcz.write(f, TestHeaders.of(CFG, V), p, r == null ? org.mtcompress.compress.Encoding.of(Map.of()) : r.encoding());
        return Mtcz.read(f);
    }

    private static void assertSameTokens(List<int[]> a, List<int[]> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), what + ": sentence " + i);
        }
    }

    /** The first two steps' log-probabilities of a batch of all sources (greedy rows). */
    private static float[] firstSteps(IncrementalModel m) {
        int b = SOURCES.size(), s = 0;
        for (int[] x : SOURCES) {
            s = Math.max(s, x.length + 1);
        }
        int[][] src = new int[b][s];
        int[] sentence = new int[b], tok = new int[b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(SOURCES.get(i), 0, src[i], 0, SOURCES.get(i).length);
            src[i][SOURCES.get(i).length] = 3;
            sentence[i] = i;
            tok[i] = 2;
        }
        IncrementalModel.Session session = m.start(src);
        float[] first = session.step(sentence, sentence, tok);
        for (int i = 0; i < b; i++) {
            tok[i] = 4 + i % (V - 5);
        }
        float[] second = session.step(sentence, sentence, tok);
        float[] out = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    @Test
    void theDenseJavaDecoderTranslatesLikeTheSameDiffModel() {
        PackedModel dense = PackedModel.of(export("raw", null), false);
        float[] a = firstSteps(dense);
        Transformer loaded = export("raw2", null).toCheckpoint().toModel();
        IncrementalModel graph = sessions(loaded);
        float[] b = firstSteps(graph);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 2e-4, "log-prob " + i);
        }
        for (int beam : new int[] {1, 4}) {
            assertSameTokens(new Decoder(loaded, beam, 0.6).translate(SOURCES, 5),
                    new Decoder(dense, beam, 0.6).translate(SOURCES, 5), "beam " + beam);
        }
        // the model learned something of the task (reverse the source, shift each id by one): five times more target
        // tokens in place than the 1 in 35 of chance, so equal tokens are a meaningful check
        List<int[]> hyp = new Decoder(dense, 1, 0.6).translate(SOURCES, 5);
        int right = 0, total = 0;
        for (int i = 0; i < SOURCES.size(); i++) {
            int[] s = SOURCES.get(i);
            for (int j = 0; j < s.length; j++) {
                total++;
                right += j < hyp.get(i).length && hyp.get(i)[j] == s[s.length - 1 - j] + 1 ? 1 : 0;
            }
        }
        assertTrue(right >= 0.15 * total, right + " of " + total + " target tokens right");
    }

    /** The SameDiff model through the beam search's interface (what {@code new Decoder(Transformer, ...)} uses). */
    private static IncrementalModel sessions(Transformer t) {
        return new IncrementalModel() {
            public int vocabSize() {
                return t.vocabSize();
            }

            public int padId() {
                return t.padId();
            }

            public int bosId() {
                return t.bosId();
            }

            public int eosId() {
                return t.eosId();
            }

            public int maxLength() {
                return t.config().maxLength();
            }

            public Session start(int[][] src) {
                Transformer.Encoded enc = t.encode(src);
                Transformer.DecoderCache[] cache = {t.emptyCache(src.length)};
                return (sentence, parent, lastToken) -> {
                    Transformer.Step s = t.step(enc, cache[0], sentence, parent, lastToken);
                    cache[0] = s.cache();
                    return s.logProbs();
                };
            }
        };
    }

    @Test
    void packedTranslatesLikeDenseForEveryStoredForm() {
        Map<String, CompressorSpec> specs = new java.util.LinkedHashMap<>();
        specs.put("kmeans-4bit-all", CompressorSpec.defaults("kmeans", 4));
        specs.put("kmeans-1bit-all", CompressorSpec.defaults("kmeans", 1));
        specs.put("binary-fixed", CompressorSpec.defaults("binary_fixed", 1));
        specs.put("emb-w4-g64", ConfigLoader.load(Path.of("configs/compress/emb-w4-g64.yaml"), List.of(), CompressorSpec.class).value());
        specs.put("emb-w4-g48", ConfigLoader.load(Path.of("configs/compress/emb-w4-g64.yaml"), List.of("quant.group_size=48"),
                CompressorSpec.class).value());
        specs.put("emb-uniform-2bit", ConfigLoader.load(Path.of("configs/compress/emb-uniform-clip-2bit.yaml"), List.of(),
                CompressorSpec.class).value());
        specs.put("prune-80", new org.mtcompress.compress.PruningSpec("prune",
                org.mtcompress.compress.ScopeSpec.of(org.mtcompress.compress.ScopePreset.ALL),
                new PruningSettings(0.8, 0.8, 0, 1, false, PruningThreshold.PER_TENSOR)));
        Map<String, String> form = Map.of("kmeans-4bit-all", "codebook-4bit", "kmeans-1bit-all", "codebook-1bit",
                "binary-fixed", "codebook-1bit", "emb-w4-g64", "int4-g64", "emb-w4-g48", "int4-g48",
                "emb-uniform-2bit", "codebook-2bit", "prune-80", "sparse-csr");
        for (Map.Entry<String, CompressorSpec> e : specs.entrySet()) {
            Mtcz.Contents c = export(e.getKey(), e.getValue());
            PackedModel packed = PackedModel.of(c, true), dense = PackedModel.of(c, false);
            assertTrue(packed.forms().containsKey(form.get(e.getKey())), e.getKey() + ": " + packed.forms());
            assertTrue(packed.residentBytes() < dense.residentBytes(), e.getKey());
            float[] a = firstSteps(packed), b = firstSteps(dense);
            if (e.getKey().startsWith("prune")) {
                for (int i = 0; i < a.length; i++) {
                    assertEquals(b[i], a[i], 1e-5, e.getKey() + ": log-prob " + i);
                }
            } else {
                assertArrayEquals(b, a, e.getKey() + ": log-probs bit for bit");
            }
            for (int beam : new int[] {1, 4}) {
                assertSameTokens(new Decoder(dense, beam, 0.6).translate(SOURCES, 5),
                        new Decoder(packed, beam, 0.6).translate(SOURCES, 5), e.getKey() + " beam " + beam);
            }
        }
    }
}
