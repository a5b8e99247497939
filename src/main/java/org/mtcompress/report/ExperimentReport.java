package org.mtcompress.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mtcompress.util.Json;
import tech.tablesaw.api.Table;

/**
 * Everything written beside an experiment's run folders from those folders alone: the comparison table
 * (CSV, Markdown) and the charts.
 */
public final class ExperimentReport {
    /** File in a run folder holding the histogram of its self-attention weights (a {@link Histogram} as JSON). */
    public static final String HISTOGRAM_FILE = "histogram_self_attention.json";

    private ExperimentReport() {
    }

    /** Builds the table and charts of the runs under {@code runsDir} into {@code outDir}; returns the table. */
    public static Table write(Path runsDir, Path outDir, String header) {
        List<TableRow> rows = ComparisonTable.readRows(runsDir);
        Table table = ComparisonTable.build(rows);
        ComparisonTable.write(table, outDir, header);
        Charts.bleuVsRatio(rows, outDir.resolve("bleu_vs_ratio.png"));
        Charts.bleuBars(rows, outDir.resolve("bleu_bars.png"));
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (TableRow r : rows) {
            Path h = runsDir.resolve(r.variant()).resolve(HISTOGRAM_FILE);
            if (Files.exists(h)) {
                histograms.put(r.variant(), Json.readFile(h, Histogram.class));
            }
        }
        if (!histograms.isEmpty()) {
            Charts.weightHistograms(histograms, outDir.resolve("weight_histograms.png"));
        }
        return table;
    }
}
