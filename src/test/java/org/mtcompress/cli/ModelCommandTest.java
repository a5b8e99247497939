package org.mtcompress.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.TinyData;
import org.mtcompress.model.Transformer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCommandTest {

    @Test
    void paramsListsNamesRolesAndTotals() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.execute("model", "params", "configs/model/tiny.yaml", "--vocab", "1000");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertEquals(0, code, out);
        assertTrue(out.contains("encoder.layers.1.self_attn.q_proj.weight"), out);
        assertTrue(out.contains("decoder.layers.0.encoder_attn.k_proj.weight"), out);
        // tiny, V=1000: embedding 128000; per encoder layer 4*(128*128+128) + 2*128*512+512+128 + 4*128 ...
        long expected = 1000L * 128
                + 2 * (4 * (128 * 128 + 128) + (512 * 128 + 512) + (128 * 512 + 128) + 4 * 128)
                + 2 * (8 * (128 * 128 + 128) + (512 * 128 + 512) + (128 * 512 + 128) + 6 * 128)
                + 4 * 128;
        assertTrue(out.contains(String.format("%,d", expected)), "total " + expected + " missing:\n" + out);
    }

    @Test
    void paramsOfAHashEmbeddingModelHaveNoTableButTheProjectionAndOutput() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.execute("model", "params", "configs/model/tiny.yaml", "--vocab", "1000",
                    "model.embedding=hash", "model.hash_dim=64");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertEquals(0, code, out);
        assertTrue(!out.contains("encoder.embed_tokens.weight"), out);
        assertTrue(out.contains("encoder.embed_tokens.hash_proj.weight") && out.contains("[128,64]"), out);
        assertTrue(out.contains("decoder.output_projection.weight"), out);
        // the dense tiny model's total, minus the 1000 x 128 table, plus the 128 x 64 projection and the untied
        // 1000 x 128 output projection
        long expected = 128L * 64 + 1000L * 128
                + 2 * (4 * (128 * 128 + 128) + (512 * 128 + 512) + (128 * 512 + 128) + 4 * 128)
                + 2 * (8 * (128 * 128 + 128) + (512 * 128 + 512) + (128 * 512 + 128) + 6 * 128)
                + 4 * 128;
        assertTrue(out.contains(String.format("%,d", expected)), "total " + expected + " missing:\n" + out);
        assertTrue(out.contains("embedding: hash (no table"), out);
    }

    @Test
    void translateRejectsAMissingVocabularyInOneLine(@TempDir Path dir) throws Exception {
        Transformer m = Transformer.create(TinyData.micro(true, true), 12, 0, 2, 3, 1);
        Checkpoint.of(m, "h", new Checkpoint.Position(0, 0, 0, 1), null, null).save(dir.resolve("c.mtck"));
        Files.writeString(dir.resolve("in.txt"), "a b c\n");
        int code = Main.execute("translate", "--checkpoint", dir.resolve("c.mtck").toString(), "--input",
                dir.resolve("in.txt").toString());
        assertEquals(2, code);
        Files.writeString(dir.resolve("bad.mtck"), "not a checkpoint");
        assertEquals(2, Main.execute("translate", "--checkpoint", dir.resolve("bad.mtck").toString(), "--input",
                dir.resolve("in.txt").toString(), "--vocab", dir.resolve("in.txt").toString()));
    }
}
