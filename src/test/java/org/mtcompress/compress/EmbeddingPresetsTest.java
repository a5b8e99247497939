package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.model.ParameterMap;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding presets in configs/compress load strictly and compress the embeddings as their names say. */
class EmbeddingPresetsTest {
    private static CompressorSpec load(String file) {
        Path p = TestPaths.projectRoot().resolve("configs/compress").resolve(file);
        return ConfigLoader.load(p, List.of(), CompressorSpec.class).value();
    }

    private static ParameterMap model() {
        Random rnd = new Random(4);
        float[] emb = new float[40 * 256];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        return new ParameterMap()
                .put("encoder.embed_tokens.weight", new long[]{40, 256}, emb)
                .put("encoder.layers.0.fc1.weight", new long[]{8, 8}, new float[64]);
    }

    private static double tableBitsPerValue(CompressorSpec spec) {
        ParameterMap params = model();
        List<String> selected = Scope.resolve(params, spec.scope());
        assertEquals(List.of("encoder.embed_tokens.weight"), selected);
        CompressionState state = CompressorRegistry.standard().create(spec).compress(params, selected);
        StorageBits bits = state.encode(params).tensors().get("encoder.embed_tokens.weight").bits();
        return bits.total() / (40.0 * 256);
    }

    @Test
    void intnPresets() {
        IntNSpec w8 = (IntNSpec) load("emb-w8-channel.yaml");
        assertEquals("intn", w8.name());
        assertEquals(QuantStrategy.CHANNEL, w8.quant().strategy());
        assertEquals(8 + 32.0 / 256, tableBitsPerValue(w8), 1e-12);
        IntNSpec g64 = (IntNSpec) load("emb-w4-g64.yaml");
        assertEquals(64, g64.quant().groupSize());
        assertEquals(4.5, tableBitsPerValue(g64), 1e-12);
        assertEquals(4.25, tableBitsPerValue(load("emb-w4-g128.yaml")), 1e-12);
    }

    @Test
    void uniformClipPresets() {
        for (int b : new int[]{1, 2, 4}) {
            UniformClipSpec spec = (UniformClipSpec) load("emb-uniform-clip-" + b + "bit.yaml");
            assertEquals("uniform_clip", spec.name());
            assertEquals(b, spec.bits());
            assertEquals(1e-4, spec.quant().clipTolerance());
            double bits = tableBitsPerValue(spec);
            assertEquals(b + 32.0 / (40 * 256), bits, 1e-12);
            assertTrue(bits < 32);
        }
    }
}
