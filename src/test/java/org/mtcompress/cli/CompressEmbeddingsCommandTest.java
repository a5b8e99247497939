package org.mtcompress.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.embedding.ClippedUniformQuantizer;
import org.mtcompress.compress.embedding.GloveText;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressEmbeddingsCommandTest {
    @TempDir
    Path dir;

    private Path vectors(int words, int dim) throws Exception {
        Random rnd = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append("wort").append(i);
            for (int k = 0; k < dim; k++) {
                sb.append(' ').append(String.format(Locale.ROOT, "%.6f", rnd.nextGaussian() * 0.3));
            }
            sb.append('\n');
        }
        Path p = dir.resolve("vectors.txt");
        Files.writeString(p, sb.toString());
        return p;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = Main.newCommandLine();
            cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    void quantizesAFileAndReports() throws Exception {
        Path in = vectors(200, 25);
        Path out = dir.resolve("out.txt");
        Path report = dir.resolve("report.json");
        Run r = run("compress-embeddings", "--input", in.toString(), "--bits", "2", "--output", out.toString(),
                "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mse (clipped)"), r.out());

        GloveText.Vectors original = GloveText.read(in);
        GloveText.Vectors quantized = GloveText.read(out);
        assertEquals(original.words(), quantized.words());
        ClippedUniformQuantizer.Result expected = ClippedUniformQuantizer.quantize(original.values(), 2);
        assertArrayEquals(expected.values(), quantized.values()); // floats survive the text round trip

        JsonNode rep = Json.MAPPER.readTree(report.toFile());
        assertEquals(2, rep.get("bits").asInt());
        assertEquals(expected.clip(), (float) rep.get("clip").asDouble());
        assertEquals(expected.mse(), rep.get("mse").asDouble());
        assertTrue(rep.get("mse").asDouble() < rep.get("mse_no_clip").asDouble());
        assertTrue(rep.get("clip").asDouble() < rep.get("max_abs").asDouble());
        double n = 200 * 25;
        assertEquals(32 * n / (2 * n + 32), rep.get("compression_ratio").asDouble(), 1e-9);
    }

    @Test
    void raggedRowsAndNonNumbersNameFileAndLine() throws Exception {
        Path ragged = dir.resolve("ragged.txt");
        Files.writeString(ragged, "a 1 2 3\nb 4 5 6\n\nc 7 8\n");
        Run r = run("compress-embeddings", "--input", ragged.toString(), "--bits", "2", "--output",
                dir.resolve("o.txt").toString());
        assertEquals(MtcException.BAD_INPUT, r.code());
        assertTrue(r.err().contains(ragged + ":4: expected 3 values (as on line 1), found 2"), r.err());
        assertFalse(r.err().contains("\tat "), r.err()); // no stack trace

        Path nan = dir.resolve("nan.txt");
        Files.writeString(nan, "a 1 2 3\nb 4 x5 6\n");
        r = run("compress-embeddings", "--input", nan.toString(), "--bits", "2", "--output",
                dir.resolve("o.txt").toString());
        assertEquals(MtcException.BAD_INPUT, r.code());
        assertTrue(r.err().contains(nan + ":2: value 2 'x5' is not a number"), r.err());

        Path inf = dir.resolve("inf.txt");
        Files.writeString(inf, "a 1 Infinity 3\n");
        MtcException e = assertThrows(MtcException.class, () -> GloveText.read(inf));
        assertTrue(e.getMessage().contains(":1: value 2 'Infinity' is not finite"), e.getMessage());

        Path header = dir.resolve("header.txt");
        Files.writeString(header, "2 3\na 1 2 3\nb 4 5 6\n");
        e = assertThrows(MtcException.class, () -> GloveText.read(header));
        assertTrue(e.getMessage().contains(":2: expected 1 values (as on line 1), found 3 (line 1 looks like a word2vec"),
                e.getMessage());

        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n");
        e = assertThrows(MtcException.class, () -> GloveText.read(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o.txt")));
    }

    @Test
    void badBitsAndMissingFileAreOneLineErrors() throws Exception {
        Path in = vectors(5, 3);
        Run r = run("compress-embeddings", "--input", in.toString(), "--bits", "3", "--output",
                dir.resolve("o.txt").toString());
        assertEquals(MtcException.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--bits"), r.err());
        r = run("compress-embeddings", "--input", dir.resolve("missing.txt").toString(), "--bits", "2",
                "--output", dir.resolve("o.txt").toString());
        assertEquals(MtcException.BAD_INPUT, r.code());
        assertTrue(r.err().contains("not found"), r.err());
    }
}
