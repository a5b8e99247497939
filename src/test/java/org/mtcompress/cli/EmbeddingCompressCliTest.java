package org.mtcompress.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.embedding.ClippedUniformQuantizer;
import org.mtcompress.compress.Encoding;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.compress.embedding.PackedIntTable;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.Json;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mtc compress} with the embedding presets, through the .mtcz export and back. */
class EmbeddingCompressCliTest {
    private static final String EMB = "encoder.embed_tokens.weight";
    private static final String FC1 = "encoder.layers.0.fc1.weight";

    @TempDir
    Path dir;

    private ParameterMap params() {
        Random rnd = new Random(3);
        float[] emb = new float[100 * 128];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        return new ParameterMap()
                .put(EMB, new long[]{100, 128}, emb)
                .put(FC1, new long[]{16, 8}, new float[128]);
    }

    private Path model() {
        Path f = dir.resolve("model.mtcz");
        Mtcz.write(f, org.mtcompress.compress.TestHeaders.tiny(), params(), new Encoding(Map.of(), Map.of()));
        return f;
    }

    @Test
    void w4Group64PresetExportsPackedCodesAndScales() throws Exception {
        Path out = dir.resolve("w4.mtcz");
        CliTest.Result r = CliTest.run("compress", "--checkpoint", model().toString(), "--config",
                "configs/compress/emb-w4-g64.yaml", "--export", out.toString(), "--report",
                dir.resolve("size.json").toString());
        assertEquals(0, r.code(), r.err());
        ParameterMap back = Mtcz.read(out).params();
        assertArrayEquals(PackedIntTable.quantize(params().read(EMB), 100, 128, 4, 64).dequantize(), back.read(EMB));
        assertArrayEquals(params().read(FC1), back.read(FC1));
        JsonNode json = Json.MAPPER.readTree(dir.resolve("size.json").toFile());
        // 100 x 128 x 4 bits + 100 x 2 float32 scales; fc1 stays fp32
        assertEquals(100 * 128 * 4 + 100 * 2 * 32 + 32L * 128, json.get("summary").get("stored_bits").asLong());
    }

    @Test
    void uniformClipPresetExportsTwoBitLevels() throws Exception {
        Path out = dir.resolve("u2.mtcz");
        CliTest.Result r = CliTest.run("compress", "--checkpoint", model().toString(), "--config",
                "configs/compress/emb-uniform-clip-2bit.yaml", "--export", out.toString());
        assertEquals(0, r.code(), r.err());
        float[] back = Mtcz.read(out).params().read(EMB);
        assertArrayEquals(ClippedUniformQuantizer.quantize(params().read(EMB), 2).values(), back);
        assertTrue(java.util.stream.IntStream.range(0, back.length).mapToObj(i -> back[i]).distinct().count() <= 4);
    }
}
