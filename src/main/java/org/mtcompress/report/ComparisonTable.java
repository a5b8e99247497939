package org.mtcompress.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The comparison table of an experiment (BLEU against compression ratio), built with Tablesaw from the
 * {@link TableRow}s stored in the run folders, written as {@code table.csv} and {@code table.md}. The last column,
 * {@code decode weights (MB)}, is what the packed decoder holds in memory for the row's parameters.
 */
public final class ComparisonTable {
    /** Column names, in order. */
    public static final List<String> COLUMNS = List.of("variant", "compressor", "scope", "BLEU (test)", "ΔBLEU",
            "% of original", "% of control", "ratio (model)", "ratio (scope)", "bits/weight", "sparsity", "retrain steps",
            "p-value vs original", "wall time (s)", "status", "decode weights (MB)");

    private ComparisonTable() {
    }

    /** Reads the row of every run folder under {@code experimentRunsDir} (runs without a row are skipped). */
    public static List<TableRow> readRows(Path experimentRunsDir) {
        if (!Files.isDirectory(experimentRunsDir)) {
            throw new MtcException("no run folders at " + experimentRunsDir);
        }
        List<TableRow> rows = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(experimentRunsDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path metrics = dir.resolve("metrics.json");
                if (!Files.exists(metrics)) {
                    continue;
                }
                Map<?, ?> json = Json.readFile(metrics, Map.class);
                Object row = json.get("row");
                if (row != null) {
                    rows.add(Json.MAPPER.convertValue(row, TableRow.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.isEmpty()) {
            throw new MtcException("no finished or failed runs with a table row under " + experimentRunsDir);
        }
        rows.sort(Comparator.comparing((TableRow r) -> !r.isBaseline()).thenComparing(r -> !r.isControl())
                .thenComparing(TableRow::variant));
        return rows;
    }

    /**
     * The table: baseline first, then the control row, then variants in name order. ΔBLEU and % of original are
     * relative to the baseline; % of control to the control row (the variant marked {@code control: true}: no
     * compression, the same retraining), which separates what compression cost from what the extra steps gained.
     * Without a finished control row that column is empty.
     */
    public static Table build(List<TableRow> rows) {
        Double base = rows.stream().filter(r -> r.isBaseline() && r.finished()).map(TableRow::testBleu)
                .findFirst().orElse(null);
        Double control = rows.stream().filter(r -> r.isControl() && r.finished()).map(TableRow::testBleu)
                .findFirst().orElse(null);
        Table t = Table.create("comparison");
        StringColumn variant = StringColumn.create(COLUMNS.get(0));
        StringColumn compressor = StringColumn.create(COLUMNS.get(1));
        StringColumn scope = StringColumn.create(COLUMNS.get(2));
        DoubleColumn bleu = DoubleColumn.create(COLUMNS.get(3));
        DoubleColumn delta = DoubleColumn.create(COLUMNS.get(4));
        DoubleColumn pct = DoubleColumn.create(COLUMNS.get(5));
        DoubleColumn pctControl = DoubleColumn.create(COLUMNS.get(6));
        DoubleColumn ratio = DoubleColumn.create(COLUMNS.get(7));
        DoubleColumn ratioScope = DoubleColumn.create(COLUMNS.get(8));
        DoubleColumn bits = DoubleColumn.create(COLUMNS.get(9));
        DoubleColumn sparsity = DoubleColumn.create(COLUMNS.get(10));
        LongColumn steps = LongColumn.create(COLUMNS.get(11));
        DoubleColumn p = DoubleColumn.create(COLUMNS.get(12));
        DoubleColumn wall = DoubleColumn.create(COLUMNS.get(13));
        StringColumn status = StringColumn.create(COLUMNS.get(14));
        DoubleColumn decode = DoubleColumn.create(COLUMNS.get(15));
        java.util.Set<String> splits = new java.util.LinkedHashSet<>();
        rows.forEach(r -> splits.addAll(r.otherTestBleu().keySet()));
        List<DoubleColumn> splitBleu = splits.stream().map(s -> DoubleColumn.create("BLEU (" + s + ")")).toList();
        for (TableRow r : rows) {
            int k = 0;
            for (String s : splits) {
                append(splitBleu.get(k++), r.finished() ? r.otherTestBleu().get(s) : null);
            }
            variant.append(r.variant());
            compressor.append(r.compressor());
            scope.append(r.scope());
            append(bleu, r.testBleu());
            append(delta, r.finished() && base != null ? r.testBleu() - base : null);
            append(pct, r.finished() && base != null && base > 0 ? 100.0 * r.testBleu() / base : null);
            append(pctControl, r.finished() && !r.isBaseline() && control != null && control > 0
                    ? 100.0 * r.testBleu() / control : null);
            append(ratio, r.ratioModel());
            append(ratioScope, r.ratioScope());
            append(bits, r.bitsPerWeight());
            append(sparsity, r.sparsity());
            steps.append(r.retrainSteps());
            append(p, r.pValue());
            wall.append(r.wallTimeS());
            status.append(r.finished() ? r.status() : r.status() + (r.error() == null ? "" : ": " + r.error()));
            append(decode, r.decodeMb());
        }
        t.addColumns(variant, compressor, scope, bleu);
        splitBleu.forEach(t::addColumns);
        t.addColumns(delta, pct, pctControl, ratio, ratioScope, bits, sparsity, steps, p, wall, status, decode);
        return t;
    }

    private static void append(DoubleColumn c, Double v) {
        if (v == null) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }

    /** Writes {@code table.csv} and {@code table.md} into {@code outDir}, atomically. */
    public static void write(Table table, Path outDir, String header) {
        StringWriter csv = new StringWriter();
        table.write().csv(csv);
        AtomicFiles.writeString(outDir.resolve("table.csv"), csv.toString());
        AtomicFiles.writeString(outDir.resolve("table.md"), header + "\n\n" + toMarkdown(table));
    }

    /** A Markdown table (Tablesaw has no Markdown writer). Numbers with 2 decimals, p-values with 3. */
    public static String toMarkdown(Table table) {
        StringBuilder sb = new StringBuilder("|");
        for (String name : table.columnNames()) {
            sb.append(' ').append(name).append(" |");
        }
        sb.append("\n|");
        for (Column<?> c : table.columns()) {
            sb.append(c instanceof StringColumn ? " --- |" : " ---: |");
        }
        sb.append('\n');
        for (int i = 0; i < table.rowCount(); i++) {
            sb.append('|');
            for (Column<?> c : table.columns()) {
                sb.append(' ').append(cell(c, i)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(Column<?> c, int i) {
        if (c.isMissing(i)) {
            return "–";
        }
        if (c instanceof DoubleColumn d) {
            double v = d.getDouble(i);
            String name = c.name();
            if (name.startsWith("p-value")) {
                return v < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", v);
            }
            if (name.startsWith("ratio")) {
                return String.format(Locale.ROOT, "%.2fx", v);
            }
            if (name.equals("ΔBLEU")) {
                return String.format(Locale.ROOT, "%+.2f", v);
            }
            if (name.equals("sparsity")) {
                return String.format(Locale.ROOT, "%.1f %%", 100 * v);
            }
            if (name.startsWith("wall")) {
                return String.format(Locale.ROOT, "%.0f", v);
            }
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.valueOf(c.get(i)).replace("|", "\\|");
    }
}
