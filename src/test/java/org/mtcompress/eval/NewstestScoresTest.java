package org.mtcompress.eval;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Corpus scores on real WMT text (../shared newstest2014.de, 3,003 lines) against perturbed copies
 * ({@link EvalFixtures#perturb}). Expected numbers: sacreBLEU 2.6.0, {@code /opt/sb/bin/python
 * scripts/expected_values.py} (same perturbation in Python).
 */
class NewstestScoresTest {
    private static List<String> ref;
    private static List<String> hyp7;
    private static List<String> hyp4;

    @BeforeAll
    static void load() {
        ref = EvalFixtures.read("newstest2014.de");
        hyp7 = EvalFixtures.perturbAll(ref, 7);
        hyp4 = EvalFixtures.perturbAll(ref, 4);
    }

    private static void assertBleu(List<String> hyp, String tok, boolean lc, double score, long[] counts,
                                   long[] totals, long sys, long refLen) {
        Bleu bleu = new Bleu(Bleu.Options.defaults().withTokenize(tok).withLowercase(lc));
        Bleu.BleuScore b = bleu.compute(Metric.sum(bleu.segmentStatistics(hyp, List.of(ref))));
        String what = "tok=" + tok + " lc=" + lc;
        assertEquals(score, b.score(), 1e-9, what);
        double[] c = new double[4];
        double[] t = new double[4];
        for (int i = 0; i < 4; i++) {
            c[i] = counts[i];
            t[i] = totals[i];
        }
        assertArrayEquals(c, b.counts(), what);
        assertArrayEquals(t, b.totals(), what);
        assertEquals(sys, b.sysLen(), what);
        assertEquals(refLen, b.refLen(), what);
    }

    @Test
    void bleuMatchesSacrebleuForEveryTokenizerAndCase() {
        assertBleu(hyp7, "13a", false, 59.74678503670315, new long[] {52205, 40493, 30724, 22243},
                new long[] {53729, 50726, 47728, 44733}, 53729, 62688);
        assertBleu(hyp7, "13a", true, 63.96063476008941, new long[] {53729, 42775, 33327, 24772},
                new long[] {53729, 50726, 47728, 44733}, 53729, 62688);
        assertBleu(hyp7, "intl", false, 60.42282920089522, new long[] {53858, 42099, 32259, 23687},
                new long[] {55422, 52419, 49420, 46424}, 55422, 64676);
        assertBleu(hyp7, "intl", true, 64.6285484631272, new long[] {55420, 44466, 34954, 26326},
                new long[] {55422, 52419, 49420, 46424}, 55422, 64676);
        assertBleu(hyp7, "none", false, 56.55311128457203, new long[] {45515, 33906, 24769, 16839},
                new long[] {47036, 44033, 41037, 38045}, 47036, 54865);
        assertBleu(hyp7, "none", true, 61.07904640885146, new long[] {47036, 36066, 27136, 19025},
                new long[] {47036, 44033, 41037, 38045}, 47036, 54865);
        assertBleu(hyp4, "13a", false, 28.562678189089652, new long[] {45706, 29359, 15597, 3894},
                new long[] {47013, 44010, 41013, 38024}, 47013, 62688);
        assertBleu(hyp4, "intl", true, 32.72453289830262, new long[] {48533, 32476, 18303, 5588},
                new long[] {48533, 45530, 42531, 39539}, 48533, 64676);
        assertBleu(hyp4, "none", false, 6.070543568462573, new long[] {39881, 23619, 10777, 9},
                new long[] {41185, 38182, 35186, 32201}, 41185, 54865);
    }

    @Test
    void chrfMatchesSacrebleu() {
        assertEquals(80.99011975486945, Chrf.chrf(false).corpusScore(hyp7, List.of(ref)).score(), 1e-9);
        assertEquals(80.17945787670179, Chrf.chrfPlusPlus(false).corpusScore(hyp7, List.of(ref)).score(), 1e-9);
        assertEquals(82.31661302865115, Chrf.chrf(true).corpusScore(hyp7, List.of(ref)).score(), 1e-9);
        assertEquals(81.98471549026955, Chrf.chrfPlusPlus(true).corpusScore(hyp7, List.of(ref)).score(), 1e-9);
        assertEquals(67.97144249157739, Chrf.chrf(false).corpusScore(hyp4, List.of(ref)).score(), 1e-9);
        assertEquals(67.02903929559358, Chrf.chrfPlusPlus(false).corpusScore(hyp4, List.of(ref)).score(), 1e-9);
    }

    @Test
    void multipleReferencesMatchSacrebleu() {
        List<List<String>> refs = List.of(ref, hyp7);
        Score b = new Bleu().corpusScore(hyp4, refs);
        assertEquals(46.71841849569338, b.score(), 1e-9);
        assertEquals("99.6/74.2/48.6/23.5 (BP = 0.867 ratio = 0.875 hyp_len = 47013 ref_len = 53732)", b.verbose());
        assertEquals("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", b.signature());
        assertEquals(69.95876942722526, Chrf.chrf(false).corpusScore(hyp4, refs).score(), 1e-9);
        assertEquals(69.01563374685303, Chrf.chrfPlusPlus(false).corpusScore(hyp4, refs).score(), 1e-9);
    }
}
