package org.mtcompress.report;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The user's table beside a committed reference of the same experiment: per row, the BLEU and whole-model ratio of
 * both and their differences (yours minus the reference's). Rows only one side has are listed with dashes.
 */
public final class ReferenceComparison {
    private ReferenceComparison() {
    }

    /** A Markdown table comparing {@code mine} with {@code reference}, rows in the order of {@code mine}. */
    public static String toMarkdown(List<TableRow> mine, List<TableRow> reference) {
        Map<String, TableRow> yours = byName(mine);
        Map<String, TableRow> ref = byName(reference);
        Set<String> names = new LinkedHashSet<>(yours.keySet());
        names.addAll(ref.keySet());
        StringBuilder sb = new StringBuilder("| variant | BLEU (yours) | BLEU (reference) | ΔBLEU | ratio (yours) "
                + "| ratio (reference) | Δratio |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String name : names) {
            TableRow a = yours.get(name);
            TableRow b = ref.get(name);
            Double bleuA = a == null || !a.finished() ? null : a.testBleu();
            Double bleuB = b == null || !b.finished() ? null : b.testBleu();
            Double ratioA = a == null || !a.finished() ? null : a.ratioModel();
            Double ratioB = b == null || !b.finished() ? null : b.ratioModel();
            sb.append("| ").append(name.replace("|", "\\|"))
                    .append(" | ").append(fmt("%.2f", bleuA))
                    .append(" | ").append(fmt("%.2f", bleuB))
                    .append(" | ").append(fmt("%+.2f", diff(bleuA, bleuB)))
                    .append(" | ").append(fmt("%.2fx", ratioA))
                    .append(" | ").append(fmt("%.2fx", ratioB))
                    .append(" | ").append(fmt("%+.2f", diff(ratioA, ratioB)))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static Map<String, TableRow> byName(List<TableRow> rows) {
        Map<String, TableRow> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.variant(), r));
        return m;
    }

    private static Double diff(Double a, Double b) {
        return a == null || b == null ? null : a - b;
    }

    private static String fmt(String format, Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }
}
