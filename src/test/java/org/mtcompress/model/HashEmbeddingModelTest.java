package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.SizeReport;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model.embedding: hash}: no table, a trainable projection, trained from scratch, saved and sized. */
class HashEmbeddingModelTest {
    static final int V = 20;

    /** Pieces like a SentencePiece vocabulary's: 4 specials, then words and sub-words sharing n-grams. */
    static List<String> pieces(int v) {
        List<String> out = new ArrayList<>(List.of("<pad>", "<unk>", "<s>", "</s>"));
        String[] stems = {"▁haus", "▁hund", "▁katze", "▁baum", "en", "er", "▁ein", "▁der", "▁die", "▁das"};
        for (int i = 0; out.size() < v; i++) {
            out.add(stems[i % stems.length] + (i >= stems.length ? "s".repeat(i / stems.length) : ""));
        }
        return out;
    }

    static ModelConfig hash(int d, int hashDim, boolean projection) {
        return new ModelConfig(1, 1, 2, d, 2 * d, 0.0, true, true, 32, ModelConfig.Embedding.DENSE)
                .withHashEmbedding(hashDim, projection, 5);
    }

    @Test
    void hashMeansNoTableAProjectionAndAnUntiedOutput() {
        ModelConfig cfg = hash(16, 12, true);
        assertFalse(cfg.tiedEmbeddings(), "hash implies untied");
        List<ParamSpec> specs = ParamSpec.all(cfg, V);
        List<String> names = specs.stream().map(ParamSpec::name).toList();
        assertFalse(names.contains(ParamSpec.EMBED));
        assertTrue(names.contains(ParamSpec.OUTPUT));
        ParamSpec proj = specs.stream().filter(s -> s.name().equals(ParamSpec.HASH_PROJ)).findFirst().orElseThrow();
        assertArrayEquals(new long[]{16, 12}, proj.shape());
        assertFalse(ParamSpec.all(hash(16, 16, false), V).stream().anyMatch(s -> s.name().equals(ParamSpec.HASH_PROJ)));
        // strict config: hash_dim defaults to d_model; no projection needs hash_dim = d_model
        ModelConfig loaded = ConfigLoader.parse("d_model: 32\nheads: 2\nembedding: hash\n", "m.yaml", ModelConfig.class).value();
        assertEquals(32, loaded.hashDim());
        assertFalse(loaded.tiedEmbeddings());
        String msg = assertThrows(RuntimeException.class, () -> ConfigLoader.parse(
                "d_model: 32\nheads: 2\nembedding: hash\nhash_dim: 8\nhash_projection: false\n", "m.yaml",
                ModelConfig.class)).getMessage();
        assertTrue(msg.contains("m.yaml") && msg.contains("hash_dim = d_model"), msg);
        // the model needs the pieces
        msg = assertThrows(IllegalArgumentException.class, () -> Transformer.create(cfg, V, 0, 2, 3, 1)).getMessage();
        assertTrue(msg.contains("pieces"), msg);
    }

    @Test
    void lookedUpRowsAreTheHashVectorsOfThePieces() {
        ModelConfig cfg = hash(16, 12, true);
        List<String> pieces = pieces(V);
        Transformer m = Transformer.create(cfg, pieces, 0, 2, 3, 1);
        int[][] ids = {{5, 9, 3}, {17, 4, 0}};
        float[] rows = m.embedRows(ids).data().asFloat();
        HashEmbeddings h = new HashEmbeddings(12, 5);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                float[] want = h.vector(pieces.get(ids[i][j]));
                assertArrayEquals(want, Arrays.copyOfRange(rows, (i * 3 + j) * 12, (i * 3 + j + 1) * 12));
            }
        }
        // another seed is another architecture: other vectors
        Transformer other = Transformer.create(hash(16, 12, true).withHashEmbedding(12, true, 6), pieces, 0, 2, 3, 1);
        assertFalse(Arrays.equals(rows, other.embedRows(ids).data().asFloat()));
    }

    @Test
    void projectionGradientMatchesFiniteDifferences() {
        for (boolean projection : new boolean[]{true, false}) {
            ModelConfig cfg = projection ? hash(8, 6, true) : hash(8, 8, false);
            Transformer m = Transformer.create(cfg, pieces(12), TinyData.PAD, TinyData.BOS, TinyData.EOS, 7);
            Batch b = TinyData.reversal(3, 3, 12, 4, 3).get(0);
            double ls = 0.1;
            Map<String, INDArray> grads = m.gradients(b, ls, 0).gradients();
            assertEquals(m.parameters().names().size(), grads.size());
            Random r = new Random(5);
            List<String> checkedNames = projection
                    ? List.of(ParamSpec.HASH_PROJ, ParamSpec.OUTPUT, "encoder.layers.0.fc1.weight")
                    : List.of(ParamSpec.OUTPUT, "encoder.layers.0.self_attn.q_proj.weight");
            int nonZero = 0;
            for (String name : checkedNames) {
                float[] g = grads.get(name).dup('c').data().asFloat();
                int n = g.length;
                for (int k = 0; k < 6; k++) {
                    int c = r.nextInt(n);
                    FiniteDifferences.assertGradientAt(m, b, ls, name, g, c);
                    nonZero += Math.abs(g[c]) > 1e-6 ? 1 : 0;
                }
            }
            assertTrue(nonZero > 6, "gradients are mostly zero: " + nonZero);
        }
    }

    @Test
    void tinyHashModelTrainsFromScratch() {
        ModelConfig cfg = hash(32, 24, true);
        Transformer m = Transformer.create(cfg, pieces(V), 0, 2, 3, 3);
        List<Batch> data = TinyData.reversal(32, 16, V, 5, 4);
        double before = (m.evalLoss(data.get(0), 0)[1] + m.evalLoss(data.get(1), 0)[1]) / 2;
        float[] proj0 = m.parameters().read(ParamSpec.HASH_PROJ);
        Trainer t = new Trainer(m, TrainConfig.quick(3e-3, 2, 30), TrainSeeds.of(1)).quiet();
        t.fit(epoch -> data, null, null, "h");
        double after = (m.evalLoss(data.get(0), 0)[1] + m.evalLoss(data.get(1), 0)[1]) / 2;
        assertTrue(after < before - 0.3, "nll " + before + " -> " + after);
        assertFalse(Arrays.equals(proj0, m.parameters().read(ParamSpec.HASH_PROJ)), "the projection did not train");
    }

    @Test
    void checkpointRoundTripRecomputesTheVectorsFromThePieces(@TempDir Path dir) {
        ModelConfig cfg = hash(16, 12, true);
        Transformer m = Transformer.create(cfg, pieces(V), 0, 2, 3, 2);
        Batch b = TinyData.reversal(4, 4, V, 4, 1).get(0);
        Checkpoint.of(m, "vh", new Checkpoint.Position(0, 0, 0, 1), null, null).save(dir.resolve("h.mtck"));
        Checkpoint ck = Checkpoint.load(dir.resolve("h.mtck"));
        assertEquals(cfg, ck.model());
        assertEquals(pieces(V), ck.vocab().pieces());
        assertFalse(ck.parameters().names().contains(ParamSpec.EMBED), "no table is stored");
        Transformer back = ck.toModel(cfg);
        assertEquals(m.evalLoss(b, 0.1)[0], back.evalLoss(b, 0.1)[0], 1e-6);
        assertArrayEquals(m.embedRows(b.source()).data().asFloat(), back.embedRows(b.source()).data().asFloat());
        // a dense model stores no pieces, and its checkpoint still loads as before
        Transformer dense = Transformer.create(TinyData.micro(true, true), V, 0, 2, 3, 2);
        Checkpoint.of(dense, "vh", new Checkpoint.Position(0, 0, 0, 1), null, null).save(dir.resolve("d.mtck"));
        Checkpoint dck = Checkpoint.load(dir.resolve("d.mtck"));
        assertNull(dck.vocab().pieces());
        dck.toModel(TinyData.micro(true, true));
    }

    @Test
    void sizeReportCountsNoTableButTheProjectionAndTheUntiedOutput() {
        Transformer dense = Transformer.create(new ModelConfig(1, 1, 2, 16, 32, 0.0, true, true, 32,
                ModelConfig.Embedding.DENSE), V, 0, 2, 3, 1);
        Transformer hashed = Transformer.create(hash(16, 12, true), pieces(V), 0, 2, 3, 1);
        SizeReport r = SizeReport.ofArchitecture(dense.parameters(), hashed.parameters());
        long denseCount = count(dense.parameters());
        long hashCount = count(hashed.parameters());
        assertEquals(32L * denseCount, r.originalBits());
        assertEquals(32L * hashCount, r.storedBits());
        assertEquals(denseCount - V * 16L + 16 * 12 + V * 16L, hashCount);
        // scope: the table (removed, 0 bits) against the projection and output projection (added, fp32)
        assertEquals(32L * V * 16, r.scopeOriginalBits());
        assertEquals(32L * (16 * 12 + V * 16), r.scopeStoredBits());
        SizeReport.Row table = r.rows().stream().filter(x -> x.name().startsWith(ParamSpec.EMBED)).findFirst().orElseThrow();
        assertEquals(0, table.stored().total());
        assertTrue(r.toTable().contains(ParamSpec.HASH_PROJ + " (added)"), r.toTable());
        // against an untied dense model the hash model is smaller by the table minus the projection
        Transformer untied = Transformer.create(TinyData.micro(true, false).withDropout(0), V, 0, 2, 3, 1);
        Transformer hashedMicro = Transformer.create(hash(8, 6, true), pieces(V), 0, 2, 3, 1);
        SizeReport u = SizeReport.ofArchitecture(untied.parameters(), hashedMicro.parameters());
        assertEquals(32L * (V * 8 - 8 * 6), u.originalBits() - u.storedBits());
        assertTrue(u.ratio() > 1);
    }

    private static long count(NamedParameters p) {
        return p.names().stream().mapToLong(n -> Arrays.stream(p.shape(n)).reduce(1, (a, b) -> a * b)).sum();
    }
}
