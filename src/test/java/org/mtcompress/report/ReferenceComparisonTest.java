package org.mtcompress.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceComparisonTest {
    private static TableRow row(String name, String role, double bleu, double ratio) {
        return new TableRow(name, role, "kmeans", "all", bleu, null, null, "sig", ratio, ratio, 4.0, 0.0, 8, null, 1,
                "finished", null);
    }

    @Test
    void eachRowShowsBothBleuAndRatioAndTheirDifferences() {
        List<TableRow> mine = List.of(row("original", "baseline", 15.5, 1.0), row("kmeans4", "variant", 16.0, 7.74),
                TableRow.failed("broken", "kmeans", "all", 1, "boom"));
        List<TableRow> ref = List.of(row("original", "baseline", 16.88, 1.0), row("kmeans4", "variant", 17.38, 7.741),
                row("only-ref", "variant", 3.0, 2.0));
        List<String> lines = ReferenceComparison.toMarkdown(mine, ref).lines().toList();
        assertEquals("| variant | BLEU (yours) | BLEU (reference) | ΔBLEU | ratio (yours) | ratio (reference) | Δratio |",
                lines.get(0));
        assertEquals("| original | 15.50 | 16.88 | -1.38 | 1.00x | 1.00x | +0.00 |", lines.get(2));
        assertEquals("| kmeans4 | 16.00 | 17.38 | -1.38 | 7.74x | 7.74x | -0.00 |", lines.get(3));
        assertEquals("| broken | – | – | – | – | – | – |", lines.get(4));
        assertEquals("| only-ref | – | 3.00 | – | – | 2.00x | – |", lines.get(5));
        assertEquals(6, lines.size());
    }
}
