package org.mtcompress.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.util.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mtc eval} end to end on small files: table and JSON output, several references and systems, paired
 * tests, and the one-line errors (exit 2) for mismatched line counts, empty files and invalid UTF-8.
 * Expected scores: sacreBLEU 2.6.0 on the same files (README example of sacreBLEU's test_bleu.py).
 */
class EvalCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path hyp() throws IOException {
        return file("hyp.txt", "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n");
    }

    private Path ref1() throws IOException {
        return file("ref1.txt", "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n");
    }

    private Path ref2() throws IOException {
        return file("ref2.txt", "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n");
    }

    @Test
    void tableWithTwoReferencesAndThreeMetrics() throws IOException {
        int code = Main.execute("eval", "--ref", ref1().toString(), "--ref", ref2().toString(), "--hyp",
                hyp().toString(), "--metrics", "bleu,chrf,chrf++");
        assertEquals(0, code, stderr());
        String o = stdout();
        // sacreBLEU 2.6.0: BLEU 48.530827009929865, chrF2 59.72751782684763, chrF2++ 59.15310444399262
        String[] lines = o.split("\n");
        assertEquals(5, lines.length, o);
        assertEquals(java.util.List.of("BLEU", "48.53", "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
                "82.4/50.0/45.5/37.5"), java.util.Arrays.asList(lines[2].trim().split("\\s+")).subList(1, 5));
        assertTrue(lines[2].endsWith("82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)"), o);
        assertEquals(java.util.List.of("chrF2", "59.73", "nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"),
                java.util.Arrays.asList(lines[3].trim().split("\\s+")).subList(1, 4));
        assertEquals(java.util.List.of("chrF2++", "59.15", "nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0"),
                java.util.Arrays.asList(lines[4].trim().split("\\s+")).subList(1, 4));
    }

    @Test
    void jsonHasNameScoreSignatureVerbose() throws IOException {
        int code = Main.execute("eval", "--ref", ref1().toString(), "--ref", ref2().toString(), "--hyp",
                hyp().toString(), "--tokenize", "intl", "--json", "--width", "4");
        assertEquals(0, code, stderr());
        JsonNode rows = Json.MAPPER.readTree(stdout());
        assertEquals(1, rows.size());
        JsonNode r = rows.get(0);
        assertEquals("BLEU", r.get("name").asText());
        // sacreBLEU 2.6.0, tokenize intl: 43.91623493336995
        assertEquals(43.9162, r.get("score").asDouble(), 0.0);
        assertEquals(43.91623493336995, r.get("score_exact").asDouble(), 1e-9);
        assertEquals("nrefs:2|case:mixed|eff:no|tok:intl|smooth:exp|version:2.6.0", r.get("signature").asText());
        assertEquals("73.7/43.8/38.5/30.0 (BP = 1.000 ratio = 1.056 hyp_len = 19 ref_len = 18)",
                r.get("verbose").asText());
        assertEquals(19, r.get("hyp_len").asInt());
        assertEquals(14, r.get("counts").get(0).asInt());
    }

    @Test
    void lineSeparatorIsNewlineOnly() throws IOException {
        // U+0085 and U+2028 stay inside their lines (sacreBLEU reads with newline="\n")
        Path h = file("h.txt", "a\u0085b c d e\nd\u2028e f g h\n");
        Path r = file("r.txt", "a\u0085b c d e\nd\u2028e f g h\n");
        assertEquals(0, Main.execute("eval", "--ref", r.toString(), "--hyp", h.toString(), "--json"), stderr());
        JsonNode row = Json.MAPPER.readTree(stdout()).get(0);
        assertEquals(100.0, row.get("score").asDouble(), 1e-9);
        assertEquals(10, row.get("hyp_len").asInt());
    }

    @Test
    void pairedBootstrapTable() throws IOException {
        Path other = file("other.txt", "The dog bit a man.\nIt was surprising.\nThe man bit him first.\n");
        int code = Main.execute("eval", "--ref", ref1().toString(), "--hyp", hyp().toString(), "--hyp",
                other.toString(), "--metrics", "bleu,chrf", "--paired-bs");
        assertEquals(0, code, stderr());
        String o = stdout();
        assertTrue(o.contains("Baseline: " + hyp()), o);
        assertTrue(o.contains("BLEU (μ ± 95% CI)"), o);
        assertTrue(o.contains("(p = "), o);
        assertTrue(o.contains("nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"), o);
    }

    @Test
    void sentenceLevel() throws IOException {
        int code = Main.execute("eval", "--ref", ref1().toString(), "--hyp", hyp().toString(), "--sentence-level");
        assertEquals(0, code, stderr());
        String[] lines = stdout().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0 = 100.00"),
                lines[0]);
    }

    @Test
    void mismatchedLineCountsNameTheFile() throws IOException {
        Path shortRef = file("short.txt", "The dog bit the man.\n");
        int code = Main.execute("eval", "--ref", shortRef.toString(), "--hyp", hyp().toString());
        assertEquals(2, code);
        String e = stderr().trim();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains(shortRef.toString()) && e.contains("1 lines"), e);
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path empty = file("empty.txt", "");
        assertEquals(2, Main.execute("eval", "--ref", ref1().toString(), "--hyp", empty.toString()));
        assertTrue(stderr().contains(empty + ": empty file"), stderr());
    }

    @Test
    void invalidUtf8IsAnError() throws IOException {
        Path bad = dir.resolve("latin1.txt");
        Files.write(bad, "ok line\nStra\u00dfe\nx\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(2, Main.execute("eval", "--ref", ref1().toString(), "--hyp", bad.toString()));
        String e = stderr().trim();
        assertTrue(e.contains(bad + ": not valid UTF-8 (line 2"), e);
        assertEquals(1, e.lines().count(), e);
    }

    @Test
    void unknownMetricAndTokenizerListTheKnownOnes() throws IOException {
        assertEquals(2, Main.execute("eval", "--ref", ref1().toString(), "--hyp", hyp().toString(), "--metrics", "ter"));
        assertTrue(stderr().contains("known: bleu, chrf, chrf++"), stderr());
        assertEquals(2, Main.execute("eval", "--ref", ref1().toString(), "--hyp", hyp().toString(), "--tokenize", "zh"));
        assertTrue(stderr().contains("known: 13a, intl, none"), stderr());
        assertEquals(2, Main.execute("eval", "--ref", ref1().toString(), "--hyp", hyp().toString(), "--paired-bs"));
        assertTrue(stderr().contains("baseline and at least one more --hyp"), stderr());
    }

    @Test
    void benchBleuOnlyPrintsTheBleuRow() throws IOException {
        assertEquals(0, Main.execute("bench", "bleu", "--ref", ref1().toString(), "--hyp", hyp().toString(),
                "--warmup", "1", "--iterations", "1", "--bleu-only"));
        assertTrue(stdout().lines().anyMatch(l -> l.startsWith("BLEU (13a)")), stdout());
        assertTrue(stdout().lines().noneMatch(l -> l.startsWith("chrF2") || l.startsWith("BLEU (intl)")), stdout());
    }
}
