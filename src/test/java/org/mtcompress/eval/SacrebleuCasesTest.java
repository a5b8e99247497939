package org.mtcompress.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mtcompress.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays src/test/resources/eval/sacrebleu_cases.jsonl: tokenizations, corpus BLEU (every tokenizer, case and
 * smoothing), sentence BLEU and chrF/chrF++ (beta, whitespace, eps variants) of small inputs, each with the
 * numbers sacreBLEU 2.6.0 printed for it ({@code /opt/sb/bin/python scripts/expected_small.py}). The inputs are
 * edge cases (empty hypotheses, zero matches, one-word lines, Unicode punctuation, several references) and the
 * inputs of sacreBLEU's own published tests.
 */
class SacrebleuCasesTest {
    private static final List<JsonNode> ROWS = new ArrayList<>();
    private static final Map<String, List<String>> HYPS = new HashMap<>();
    private static final Map<String, List<List<String>>> REFS = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SacrebleuCasesTest.class.getResourceAsStream("/eval/sacrebleu_cases.jsonl")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                JsonNode n = Json.MAPPER.readTree(line);
                if (n.has("comment")) {
                    continue;
                }
                if (n.get("kind").asText().equals("corpus")) {
                    HYPS.put(n.get("case").asText(), strings(n.get("hyps")));
                    List<List<String>> refs = new ArrayList<>();
                    for (JsonNode r : n.get("refs")) {
                        refs.add(strings(r));
                    }
                    REFS.put(n.get("case").asText(), refs);
                } else {
                    ROWS.add(n);
                }
            }
        }
        assertTrue(ROWS.size() > 1500, "cases file looks truncated: " + ROWS.size());
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** sacreBLEU's scores go through Python's math.exp/log; allow a few ulps, nothing a printed digit could see. */
    private static void assertScore(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
        assertEquals(PyText.formatFixed(expected, 4), PyText.formatFixed(actual, 4), what);
    }

    private static Bleu.Options bleuOptions(JsonNode n) {
        Double sv = n.get("smooth_value").isNull() ? null : n.get("smooth_value").asDouble();
        return Bleu.Options.defaults().withTokenize(n.get("tok").asText()).withLowercase(n.get("lc").asBoolean())
                .withSmooth(Bleu.Smooth.of(n.get("smooth").asText()), sv);
    }

    @Test
    void tokenizersMatchSacrebleu() {
        int checked = 0;
        Tokenizer13a t13 = new Tokenizer13a();
        TokenizerIntl ti = new TokenizerIntl();
        for (JsonNode n : ROWS) {
            if (!n.get("kind").asText().equals("tok")) {
                continue;
            }
            String in = n.get("input").asText();
            assertEquals(n.get("13a").asText(), t13.tokenize(in), "13a of " + in);
            assertEquals(n.get("13a").asText(), RegexTokenizers.tokenize13a(in), "regex 13a of " + in);
            assertEquals(n.get("intl").asText(), ti.tokenize(in), "intl of " + in);
            assertEquals(n.get("intl").asText(), RegexTokenizers.tokenizeIntl(in), "regex intl of " + in);
            checked++;
        }
        assertTrue(checked >= 30);
    }

    @Test
    void corpusBleuMatchesSacrebleu() {
        int checked = 0;
        for (JsonNode n : ROWS) {
            if (!n.get("kind").asText().equals("bleu")) {
                continue;
            }
            String c = n.get("case").asText();
            String what = c + " " + n;
            Bleu bleu = new Bleu(bleuOptions(n));
            List<List<String>> refs = REFS.get(c);
            long[] sums = Metric.sum(bleu.segmentStatistics(HYPS.get(c), refs));
            Bleu.BleuScore b = bleu.compute(sums);
            assertScore(n.get("score").asDouble(), b.score(), what);
            for (int i = 0; i < 4; i++) {
                assertEquals(n.get("counts").get(i).asDouble(), b.counts()[i], what);
                assertEquals(n.get("totals").get(i).asDouble(), b.totals()[i], what);
            }
            assertEquals(n.get("sys_len").asLong(), b.sysLen(), what);
            assertEquals(n.get("ref_len").asLong(), b.refLen(), what);
            assertEquals(n.get("verbose").asText(), b.verbose(), what);
            assertEquals(n.get("signature").asText(), bleu.signature(refs.size()).format(), what);
            checked++;
        }
        assertTrue(checked >= 600, "checked " + checked);
    }

    @Test
    void sentenceBleuMatchesSacrebleu() {
        int checked = 0;
        for (JsonNode n : ROWS) {
            if (!n.get("kind").asText().equals("sentbleu")) {
                continue;
            }
            String c = n.get("case").asText();
            Bleu bleu = new Bleu(bleuOptions(n).withEffectiveOrder(true));
            List<String> hyps = HYPS.get(c);
            for (int i = 0; i < hyps.size(); i++) {
                List<String> refs = new ArrayList<>();
                for (List<String> stream : REFS.get(c)) {
                    refs.add(stream.get(i));
                }
                Score s = bleu.sentenceScore(hyps.get(i), refs);
                assertScore(n.get("scores").get(i).asDouble(), s.score(), c + " line " + i + " " + n);
                assertEquals(n.get("signature").asText(), s.signature());
                checked++;
            }
        }
        assertTrue(checked >= 1000, "checked " + checked);
    }

    @Test
    void chrfMatchesSacrebleu() {
        int checked = 0;
        for (JsonNode n : ROWS) {
            if (!n.get("kind").asText().equals("chrf")) {
                continue;
            }
            String c = n.get("case").asText();
            String what = c + " " + n;
            Chrf chrf = new Chrf(6, n.get("word_order").asInt(), n.get("beta").asInt(), n.get("lc").asBoolean(),
                    n.get("whitespace").asBoolean(), n.get("eps").asBoolean());
            List<List<String>> refs = REFS.get(c);
            Score s = chrf.corpusScore(HYPS.get(c), refs);
            assertScore(n.get("score").asDouble(), s.score(), what);
            assertEquals(n.get("name").asText(), s.name(), what);
            assertEquals(n.get("signature").asText(), s.signature(), what);
            List<String> hyps = HYPS.get(c);
            for (int i = 0; i < hyps.size(); i++) {
                List<List<String>> one = new ArrayList<>();
                for (List<String> stream : refs) {
                    one.add(List.of(stream.get(i)));
                }
                assertScore(n.get("sentence_scores").get(i).asDouble(),
                        chrf.corpusScore(List.of(hyps.get(i)), one).score(), what + " line " + i);
            }
            checked++;
        }
        assertTrue(checked >= 500, "checked " + checked);
    }
}
