package org.mtcompress.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each fast path against its plain reference: the scanning tokenizers against the regex versions, BLEU's packed
 * n-gram counting against maps of n-grams, chrF's likewise; on every line of the WMT test sets in ../shared
 * (U+0085, U+00A0, soft hyphens, C1 controls included) and on random strings built from tricky characters.
 */
class FastPathsTest {
    // C1 controls (2008), U+0085 / U+00A0 (2009), U+200B / U+2009 (2012.en), soft hyphens (2014)
    private static final String[] FILES = {"news-test2008.de", "newstest2009.de", "newstest2012.en",
            "newstest2014.de"};

    private static List<String> randomLines(int n, long seed) {
        String alphabet = "aZ09 .,-'\"&;:!?()[]{}<>/\\|~^_`@#$%*+=\u00a0\u0085\u2009\u200b\u00ad\u201e\u201c\u2013\u2026"
                + "\u20ac\u00b2\u00bd\u0130\u03a3\u00df\u0661\u2160\t";
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        String[] entities = {"&quot;", "&amp;", "&lt;", "&gt;", "<skipped>", "-\n", "\uD83D\uDE00", "\uD835\uDFD8"};
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int j = 0; j < len; j++) {
                if (rnd.nextInt(10) == 0) {
                    sb.append(entities[rnd.nextInt(entities.length)]);
                } else {
                    sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void tokenizersAgreeWithRegexVersions() {
        Tokenizer13a t13 = new Tokenizer13a();
        TokenizerIntl ti = new TokenizerIntl();
        List<String> lines = new ArrayList<>(randomLines(5000, 1));
        for (String f : FILES) {
            lines.addAll(EvalFixtures.read(f));
        }
        for (String line : lines) {
            assertEquals(RegexTokenizers.tokenize13a(line), t13.tokenize(line), line);
            assertEquals(RegexTokenizers.tokenizeIntl(line), ti.tokenize(line), line);
        }
    }

    @Test
    void bleuStatisticsAgreeWithReference() {
        for (String tok : Tokenizer.NAMES) {
            Bleu bleu = new Bleu(Bleu.Options.defaults().withTokenize(tok));
            List<String> ref = EvalFixtures.read("newstest2017.de");
            List<String> other = EvalFixtures.perturbAll(ref, 6);
            List<String> hyp = EvalFixtures.perturbAll(ref, 4);
            hyp.addAll(randomLines(500, 2));
            ref = new ArrayList<>(ref);
            ref.addAll(randomLines(500, 3));
            other.addAll(randomLines(500, 4));
            for (int i = 0; i < hyp.size(); i++) {
                String[] h = Bleu.tokens(bleu.preprocess(hyp.get(i)));
                String[][] r = {Bleu.tokens(bleu.preprocess(ref.get(i))), Bleu.tokens(bleu.preprocess(other.get(i)))};
                assertArrayEquals(Bleu.segmentReference(h, r, 4), bleu.segment(h, r), hyp.get(i));
                String[][] one = {r[0]};
                assertArrayEquals(Bleu.segmentReference(h, one, 4), bleu.segment(h, one), hyp.get(i));
            }
        }
    }

    @Test
    void chrfStatisticsAgreeWithReference() {
        for (Chrf chrf : new Chrf[] {Chrf.chrf(false), Chrf.chrfPlusPlus(true), new Chrf(6, 2, 3, false, true, true)}) {
            List<String> ref = new ArrayList<>(EvalFixtures.read("newstest2009.de"));
            List<String> hyp = EvalFixtures.perturbAll(ref, 5);
            List<String> other = EvalFixtures.perturbAll(ref, 3);
            hyp.addAll(randomLines(500, 5));
            ref.addAll(randomLines(500, 6));
            other.addAll(randomLines(500, 7));
            for (int i = 0; i < hyp.size(); i++) {
                String[] r = {ref.get(i), other.get(i)};
                assertArrayEquals(chrf.segmentReference(hyp.get(i), r), chrf.segment(hyp.get(i), r), hyp.get(i));
            }
        }
    }

    @Test
    void pythonWhitespaceAndFormatting() {
        assertEquals(List.of("a", "b\u200bc", "d"), PyText.split(" a\u0085b\u200bc\u00a0\u202f d\u3000"));
        assertEquals("x", PyText.rstrip("x \u0085\u2028"));
        assertEquals("0.12", PyText.formatFixed(0.125, 2));
        assertEquals("0.38", PyText.formatFixed(0.375, 2));
        assertEquals("2.67", PyText.formatFixed(2.675, 2));
        assertEquals("100.000", PyText.formatFixed(99.9996, 3));
        assertEquals("σίσυφος", PyText.lower("ΣΊΣΥΦΟΣ"));
        assertEquals("i\u0307stanbul", PyText.lower("İstanbul"));
    }
}
