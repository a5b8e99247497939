package org.mtcompress.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.Mtcz;
import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.SentencePieceVocabulary;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.model.Transformer;
import org.mtcompress.util.Hashing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A .mtcz is a complete model: {@code mtc translate} runs it alone, with the vocabulary it carries. */
class TranslateMtczTest {
    @TempDir
    Path dir;

    @Test
    void translateTakesTheMtczAloneAndMatchesTheCheckpoint() throws Exception {
        Random r = new Random(4);
        String[] words = {"a", "man", "dog", "runs", "in", "the", "park", "red", "ball", "two", "women", "sit"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 3 + r.nextInt(6); j++) {
                sb.append(j == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            lines.add(sb.toString());
        }
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        int size;
        String hash;
        try (SentencePieceVocabulary v = SentencePieceVocabulary.train(lines, 300, dir.resolve("spm"), 1000, 1)) {
            size = v.size();
            hash = v.contentHash();
        }
        Files.copy(dir.resolve("spm/spm.model"), run.resolve("vocab.model"));
        Files.copy(dir.resolve("spm/spm.vocab"), run.resolve("vocab.vocab"));
        ModelConfig cfg = new ModelConfig(1, 1, 2, 32, 64, 0, true, true, 64, ModelConfig.Embedding.DENSE);
        Transformer m = Transformer.create(cfg, size, 0, 2, 3, 11);
        Path ck = run.resolve("best.mtck");
        Checkpoint.of(m, hash, new Checkpoint.Position(5, 0, 0, 1), null, null).save(ck);
        Files.writeString(run.resolve("provenance.json"), "{\"config_hash\": \"cfg123\", \"git_commit\": \"abc\"}");
        Path input = dir.resolve("src.txt");
        Files.write(input, lines.subList(0, 10), StandardCharsets.UTF_8);

        Path plain = dir.resolve("plain.mtcz");
        CliTest.Result c = CliTest.run("compress", "--checkpoint", ck.toString(), "--compressor", "none",
                "--export", plain.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("vocabulary"), c.out());
        Mtcz.Header h = Mtcz.read(plain).header();
        assertArrayEquals(Files.readAllBytes(run.resolve("vocab.model")), h.vocabModel());
        assertEquals(hash, Hashing.sha256Hex(h.vocabPieces()));
        assertEquals("cfg123", h.provenance().get("source_config_hash"));
        assertEquals("abc", h.provenance().get("source_git_commit"));
        assertEquals(Hashing.sha256Hex(ck), h.provenance().get("source_sha256"));

        // the packed file alone (moved away from the run folder and its vocabulary) translates like the checkpoint
        Path alone = Files.createDirectories(dir.resolve("elsewhere")).resolve("m.mtcz");
        Files.move(plain, alone);
        for (String beam : new String[] {"1", "4"}) {
            CliTest.Result a = CliTest.run("translate", "--checkpoint", ck.toString(), "--input", input.toString(),
                    "--beam", beam);
            CliTest.Result b = CliTest.run("translate", "--checkpoint", alone.toString(), "--input", input.toString(),
                    "--beam", beam);
            assertEquals(0, a.code(), a.err());
            assertEquals(0, b.code(), b.err());
            assertEquals(10, b.out().lines().count());
            assertEquals(a.out(), b.out(), "beam " + beam);
        }

        // a compressed one translates from its stored forms
        Path k4 = dir.resolve("k4.mtcz");
        assertEquals(0, CliTest.run("compress", "--checkpoint", ck.toString(), "--bits", "4", "--export", k4.toString()).code());
        CliTest.Result t = CliTest.run("translate", "--checkpoint", k4.toString(), "--input", input.toString());
        assertEquals(0, t.code(), t.err());
        assertEquals(10, t.out().lines().count());
        CliTest.Result withVocab = CliTest.run("translate", "--checkpoint", k4.toString(), "--input", input.toString(),
                "--vocab", run.resolve("vocab.model").toString());
        assertEquals(2, withVocab.code());
        assertTrue(withVocab.err().contains("carries its own vocabulary"), withVocab.err());
    }
}
