package org.mtcompress.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.text.DecimalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.YIntervalRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.chart.ui.TextAnchor;
import org.mtcompress.util.AtomicFiles;

/** The experiment's charts as PNG files, drawn headless with JFreeChart. */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** BLEU (test) against whole-model compression ratio, log-2 x axis, the Pareto front drawn as a line. */
    public static void bleuVsRatio(List<TableRow> rows, Path png) {
        List<TableRow> done = rows.stream().filter(r -> r.finished() && r.ratioModel() != null).toList();
        XYSeries points = new XYSeries("runs", false);
        for (TableRow r : done) {
            points.add(r.ratioModel(), r.testBleu());
        }
        XYSeries front = new XYSeries("Pareto front", false);
        for (TableRow r : paretoFront(done)) {
            front.add(r.ratioModel(), r.testBleu());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(points);
        data.addSeries(front);
        LogAxis x = new LogAxis("compression ratio (whole model, log scale)");
        x.setBase(2);
        x.setSmallestValue(0.5);
        x.setTickUnit(new NumberTickUnit(1.0));
        x.setUpperMargin(0.12);
        x.setNumberFormatOverride(new DecimalFormat("0.##'x'"));
        NumberAxis y = new NumberAxis("BLEU (test)");
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        for (TableRow r : done) {
            XYTextAnnotation label = new XYTextAnnotation(r.variant(), r.ratioModel(), r.testBleu());
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(label);
        }
        save(new JFreeChart("BLEU vs compression ratio", JFreeChart.DEFAULT_TITLE_FONT, plot, true), png, WIDTH, HEIGHT);
    }

    /** Runs not dominated by another run with at least the same ratio and a higher BLEU, by ratio. */
    public static List<TableRow> paretoFront(List<TableRow> rows) {
        List<TableRow> sorted = new ArrayList<>(rows.stream().filter(TableRow::finished).toList());
        sorted.sort(Comparator.comparing(TableRow::ratioModel).reversed().thenComparing(TableRow::testBleu,
                Comparator.reverseOrder()));
        List<TableRow> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (TableRow r : sorted) {
            if (r.testBleu() > best) {
                front.add(r);
                best = r.testBleu();
            }
        }
        front.sort(Comparator.comparing(TableRow::ratioModel));
        return front;
    }

    /** BLEU per variant as bars, with the 95 % bootstrap confidence interval as error bars. */
    public static void bleuBars(List<TableRow> rows, Path png) {
        List<TableRow> done = rows.stream().filter(TableRow::finished).toList();
        XYSeries bars = new XYSeries("BLEU (test)");
        YIntervalSeries ci = new YIntervalSeries("95 % CI");
        String[] names = new String[done.size()];
        for (int i = 0; i < done.size(); i++) {
            TableRow r = done.get(i);
            names[i] = r.variant();
            bars.add(i, r.testBleu());
            double lo = r.testBleuLow() == null ? r.testBleu() : r.testBleuLow();
            double hi = r.testBleuHigh() == null ? r.testBleu() : r.testBleuHigh();
            ci.add(i, r.testBleu(), lo, hi);
        }
        SymbolAxis x = new SymbolAxis("variant", names);
        x.setVerticalTickLabels(true);
        NumberAxis y = new NumberAxis("BLEU (test)");
        XYBarRenderer barRenderer = new XYBarRenderer(0.3);
        barRenderer.setShadowVisible(false);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setSeriesPaint(0, new Color(90, 130, 190));
        XYPlot plot = new XYPlot(new XYSeriesCollection(bars), x, y, barRenderer);
        YIntervalSeriesCollection ciData = new YIntervalSeriesCollection();
        ciData.addSeries(ci);
        YIntervalRenderer ciRenderer = new YIntervalRenderer();
        ciRenderer.setSeriesPaint(0, Color.BLACK);
        plot.setDataset(1, ciData);
        plot.setRenderer(1, ciRenderer);
        save(new JFreeChart("BLEU per variant (95 % bootstrap CI)", JFreeChart.DEFAULT_TITLE_FONT, plot, true),
                png, WIDTH, HEIGHT);
    }

    /** One histogram row per entry (e.g. original / 8-bit / 4-bit / BS-Flex), sharing the weight-value axis. */
    public static void weightHistograms(Map<String, Histogram> byVariant, Path png) {
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(new NumberAxis("self-attention weight value"));
        for (Map.Entry<String, Histogram> e : byVariant.entrySet()) {
            Histogram h = e.getValue();
            XYSeries s = new XYSeries(e.getKey());
            for (int i = 0; i < h.counts().length; i++) {
                s.add(h.low() + (i + 0.5) * h.binWidth(), h.counts()[i]);
            }
            XYBarRenderer r = new XYBarRenderer(0.0);
            r.setShadowVisible(false);
            r.setBarPainter(new StandardXYBarPainter());
            NumberAxis count = new NumberAxis(e.getKey());
            count.setAutoRangeIncludesZero(true);
            XYSeriesCollection data = new XYSeriesCollection(s);
            data.setIntervalWidth(h.binWidth());
            combined.add(new XYPlot(data, null, count, r), 1);
        }
        save(new JFreeChart("Self-attention weight values", JFreeChart.DEFAULT_TITLE_FONT, combined, false),
                png, WIDTH, Math.max(HEIGHT, 220 * byVariant.size()));
    }

    private static void save(JFreeChart chart, Path png, int w, int h) {
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(bytes, chart, w, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeBytes(png, bytes.toByteArray());
    }
}
