package org.mtcompress.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.config.TrainConfig;
import org.mtcompress.data.Batch;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;
import org.mtcompress.train.Retraining;
import org.mtcompress.train.TrainSeeds;
import org.mtcompress.train.Trainer;

/** Trained ternary quantization: assignment, the updates of a and b, and 2 bits per weight. */
class TernaryCompressorTest {
    @TempDir
    Path dir;

    private static final float E = 1e-6f;

    private static CompressionState ternary(ParameterMap p, double t) {
        return CompressorRegistry.standard().create(CompressorSpec.parse("{name: ternary, threshold: " + t + "}"))
                .compress(p, List.of("l.weight"));
    }

    @Test
    void weightsBecomeMinusBZeroOrPlusA() {
        // max|w| = 1, threshold 0.05: |w| <= 0.05 is zero; a = mean(1.0, 0.6) = 0.8, b = mean(0.6, 0.9) = 0.75
        ParameterMap p = new ParameterMap().put("l.weight", new long[] {2, 3}, new float[] {1.0f, -0.6f, 0.02f, -0.05f, 0.6f, -0.9f});
        CompressionState s = ternary(p, 0.05);
        assertArrayEquals(new float[] {0.8f, -0.75f, 0f, 0f, 0.8f, -0.75f}, p.read("l.weight"), E);
        CodebookTensor t = (CodebookTensor) s.encode(p).tensors().get("l.weight");
        assertArrayEquals(new float[] {-0.75f, 0f, 0.8f}, t.codebook(), E);
        assertArrayEquals(new int[] {2, 0, 1, 1, 2, 0}, t.codes());
        assertArrayEquals(p.read("l.weight"), t.decode(), 0f);
    }

    @Test
    void aAndBMoveByTheMeanUpdateOfTheirMembersAndTheLatentWeightsTakeTheWholeUpdate() {
        ParameterMap p = new ParameterMap().put("l.weight", new long[] {6}, new float[] {1.0f, -0.6f, 0.02f, -0.01f, 0.6f, -0.9f});
        CompressionState s = ternary(p, 0.05);
        float[] written = p.read("l.weight"); // {0.8, -0.75, 0, 0, 0.8, -0.75}
        // an optimizer step's update of each weight; the third weight (0 now) is pushed past the threshold
        float[] update = {0.1f, -0.05f, 0.2f, 0.03f, 0.3f, -0.15f};
        float[] now = written.clone();
        for (int i = 0; i < now.length; i++) {
            now[i] += update[i];
        }
        p.write("l.weight", now);
        s.afterStep(p, 1);
        // a: 0.8 + mean(0.1, 0.3) = 1.0; b: 0.75 - mean(-0.05, -0.15) = 0.85 (members as assigned before the step)
        CodebookTensor t = (CodebookTensor) s.encode(p).tensors().get("l.weight");
        assertArrayEquals(new float[] {-0.85f, 0f, 1.0f}, t.codebook(), E);
        // latent {1.1, -0.65, 0.22, 0.02, 0.9, -1.05}: threshold 0.055, so the third weight now takes +a
        assertArrayEquals(new int[] {2, 0, 2, 1, 2, 0}, t.codes());
        assertArrayEquals(new float[] {1.0f, -0.85f, 1.0f, 0f, 1.0f, -0.85f}, p.read("l.weight"), E);
        // with no update, nothing moves
        s.afterStep(p, 2);
        assertArrayEquals(new float[] {1.0f, -0.85f, 1.0f, 0f, 1.0f, -0.85f}, p.read("l.weight"), E);
    }

    @Test
    void twoBitsPerWeightInTheSizeReportAndTheMtcz() throws Exception {
        int n = 4096;
        float[] w = new float[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
        }
        ParameterMap p = new ParameterMap().put("l.weight", new long[] {64, 64}, w).put("l.bias", new long[] {64}, new float[64]);
        CompressionState s = ternary(p, 0.05);
        Encoding enc = s.encode(p);
        SizeReport size = SizeReport.of(p, enc);
        SizeReport.Row row = size.rows().stream().filter(x -> x.name().equals("l.weight")).findFirst().orElseThrow();
        assertEquals(new StorageBits(2L * n, 3 * 32, 0, 0), row.stored());
        assertEquals(2L * n + 96 + 32 * 64, size.storedBits());
        Path f = dir.resolve("t.mtcz");
        Mtcz.Written written = Mtcz.write(f, TestHeaders.tiny(), p, enc);
        Mtcz.Contents back = Mtcz.read(f);
        assertArrayEquals(p.read("l.weight"), back.params().read("l.weight"), 0f);
        // the file holds the 2-bit codes: its model part is exactly the report's size
        assertEquals((size.storedBits() + 7) / 8, written.storedBytes());
        assertEquals(Files.size(f), written.fileBytes());
    }

    @Test
    void itsSettingsAreCheckedAtLoad() {
        String msg = org.junit.jupiter.api.Assertions.assertThrows(org.mtcompress.config.ConfigException.class,
                () -> CompressorSpec.parse("{name: ternary, bits: 2}")).getMessage();
        assertTrue(msg.contains("unknown key 'bits'") && msg.contains("allowed: name, scope, threshold"), msg);
        msg = org.junit.jupiter.api.Assertions.assertThrows(org.mtcompress.config.ConfigException.class,
                () -> CompressorSpec.parse("{name: ternary, threshold: 1.5}")).getMessage();
        assertTrue(msg.contains("'threshold' = 1.5 is out of range"), msg);
    }

    @Test
    void retrainingATinyRealModelTrainsAAndBAndKeepsThreeValuesPerTensor() {
        int v = 20;
        ModelConfig cfg = new ModelConfig(1, 1, 2, 16, 32, 0, true, true, 32, ModelConfig.Embedding.DENSE);
        List<Batch> data = TinyData.reversal(24, 8, v, 5, 1);
        Transformer m = Transformer.create(cfg, v, 0, 2, 3, 1);
        Trainer trainer = new Trainer(m, TrainConfig.quick(1e-2, 1, 0), TrainSeeds.of(1)).quiet();
        CompressionPipeline.Result before = CompressionPipeline.run(Transformer.create(cfg, v, 0, 2, 3, 1).parameters(),
                CompressorSpec.parse("{name: ternary}"), CompressorRegistry.standard(), null, 0);
        CompressionPipeline.Result r = CompressionPipeline.run(m.parameters(), CompressorSpec.parse("{name: ternary}"),
                CompressorRegistry.standard(), Retraining.of(trainer, epoch -> data), 4);
        assertEquals(4, trainer.step());
        NamedParameters p = m.parameters();
        int moved = 0;
        for (String name : r.scope()) {
            float[] w = p.read(name);
            CodebookTensor t = (CodebookTensor) r.encoding().tensors().get(name);
            assertEquals(2, t.indexBits(), name);
            assertEquals(0f, t.codebook()[1], name);
            assertArrayEquals(w, t.decode(), 0f, name);
            CodebookTensor t0 = (CodebookTensor) before.encoding().tensors().get(name);
            if (t.codebook()[0] != t0.codebook()[0] || t.codebook()[2] != t0.codebook()[2]) {
                moved++;
            }
        }
        assertEquals(r.scope().size(), moved, "a and b of every tensor are trained");
    }
}
