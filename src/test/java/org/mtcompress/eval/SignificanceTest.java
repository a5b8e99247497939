package org.mtcompress.eval;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * sacreBLEU's paired tests on newstest2014.de (3,003 lines): baseline = the reference perturbed with k = 7,
 * systems = perturbed with k = 4 (far) and the baseline with every 300th line from the k = 4 copy (close).
 * Expected numbers: sacreBLEU 2.6.0 with NumPy 2.4.6, {@code PairedTest([...], {"BLEU": BLEU(references=[ref]),
 * "chrF": CHRF(references=[ref])}, references=None, test_type="bs"|"ar")} with the default seed 12345
 * (scripts/expected_values.py).
 */
class SignificanceTest {
    private static List<List<String>> refs;
    private static List<String> base;
    private static List<String> far;
    private static List<String> close;

    @BeforeAll
    static void load() {
        List<String> ref = EvalFixtures.read("newstest2014.de");
        refs = List.of(ref);
        base = EvalFixtures.perturbAll(ref, 7);
        far = EvalFixtures.perturbAll(ref, 4);
        close = EvalFixtures.mix(base, far, 300);
    }

    @Test
    void pairedBootstrapBleuMatchesSacrebleu() {
        Significance.PairedResult r = Significance.pairedBootstrap(new Bleu(), refs, List.of("base", "far", "close"),
                List.of(base, far, close), 1000, 12345);
        assertEquals("nrefs:1|bs:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", r.signature());
        assertEquals(59.74678503670315, r.baseline().score(), 1e-9);
        assertNull(r.baseline().pValue());
        assertEquals(59.757224505017554, r.baseline().mean(), 1e-9);
        assertEquals(0.28553109676277444, r.baseline().ci(), 1e-9);
        Significance.SystemResult f = r.systems().get(0);
        assertEquals(28.562678189089652, f.score(), 1e-9);
        assertEquals(0.000999000999000999, f.pValue(), 1e-15);
        assertEquals(28.566261828872886, f.mean(), 1e-9);
        assertEquals(0.3168447731804154, f.ci(), 1e-9);
        Significance.SystemResult c = r.systems().get(1);
        assertEquals(59.68721350602822, c.score(), 1e-9);
        assertEquals(0.01998001998001998, c.pValue(), 1e-15);
        assertEquals(59.698490692672806, c.mean(), 1e-9);
        assertEquals(0.28905376225296564, c.ci(), 1e-9);
    }

    @Test
    void pairedBootstrapChrfMatchesSacrebleuFloat32Arithmetic() {
        Significance.PairedResult r = Significance.pairedBootstrap(Chrf.chrf(false), refs,
                List.of("base", "close"), List.of(base, close), 1000, 12345);
        assertEquals("nrefs:1|bs:1000|seed:12345|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", r.signature());
        // sacreBLEU's chrF bootstrap scores are float32: the mean and CI below are float32 values, matched exactly
        assertEquals(80.9913330078125, r.baseline().mean(), 0.0);
        assertEquals(0.20498275756835938, r.baseline().ci(), 0.0);
        Significance.SystemResult c = r.systems().get(0);
        assertEquals(80.96316686550118, c.score(), 1e-9);
        assertEquals(0.04095904095904096, c.pValue(), 1e-15);
        assertEquals(80.96478271484375, c.mean(), 0.0);
        assertEquals(0.2014617919921875, c.ci(), 0.0);
    }

    @Test
    void approximateRandomizationMatchesSacrebleu() {
        Significance.PairedResult b = Significance.approximateRandomization(new Bleu(), refs,
                List.of("base", "close"), List.of(base, close), 10000, 12345);
        assertEquals("nrefs:1|ar:10000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", b.signature());
        assertEquals(0.0024997500249975004, b.systems().get(0).pValue(), 1e-15);
        assertNull(b.systems().get(0).mean());
        Significance.PairedResult c = Significance.approximateRandomization(Chrf.chrf(false), refs,
                List.of("base", "close"), List.of(base, close), 10000, 12345);
        assertEquals(0.041495850414958506, c.systems().get(0).pValue(), 1e-15);
    }

    @Test
    void simpleApiComparesOneSystemWithBleu() {
        Significance.SystemResult s = Significance.pairedBootstrap(refs, base, close, Significance.DEFAULT_SEED);
        assertEquals(0.01998001998001998, s.pValue(), 1e-15);
        assertEquals(59.698490692672806, s.mean(), 1e-9);
        // a system against itself: sacreBLEU's centred statistic is 0 everywhere, none exceeds the observed
        // difference 0, so p = 1 / (n + 1), the smallest value, as sacreBLEU reports it (a known quirk)
        Significance.SystemResult same = Significance.pairedBootstrap(refs, base, base, 1);
        assertEquals(1.0 / 1001, same.pValue(), 1e-15);
        assertEquals(same.score(), Significance.pairedBootstrap(refs, base, base, 2).score(), 0.0);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Significance.pairedBootstrap(new Bleu(), refs,
                List.of("base"), List.of(base), 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> Significance.pairedBootstrap(new Bleu(), refs,
                List.of("base", "short"), List.of(base, base.subList(0, 10)), 1000, 1));
    }
}
