package org.mtcompress.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.text.DecimalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartRenderingInfo;
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

    private static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 12);
    /**
     * Strong, distinguishable colours (Tableau 10 without its grey, which is the Pareto line's) for the compressor
     * families, in order of first appearance; the markers' shapes cycle too.
     */
    private static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0xbcbd22),
            new Color(0x17becf));

    /**
     * BLEU (test) against whole-model compression ratio, log-2 x axis: one colour and marker per compressor family
     * (with a legend), the Pareto front drawn as a line, and a label on each point where it fits without covering
     * another label or point ({@link #labels}); a point in a crowd is told by its family's marker alone.
     */
    public static void bleuVsRatio(List<TableRow> rows, Path png) {
        List<TableRow> done = rows.stream().filter(r -> r.finished() && r.ratioModel() != null).toList();
        Map<String, XYSeries> families = new LinkedHashMap<>();
        for (TableRow r : done) {
            families.computeIfAbsent(family(r), f -> new XYSeries(f, false)).add(r.ratioModel(), r.testBleu());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        families.values().forEach(data::addSeries);
        XYSeries front = new XYSeries("Pareto front", false);
        for (TableRow r : paretoFront(done)) {
            front.add(r.ratioModel(), r.testBleu());
        }
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
        for (int i = 0; i < families.size(); i++) {
            renderer.setSeriesLinesVisible(i, false);
            renderer.setSeriesShapesVisible(i, true);
            renderer.setSeriesPaint(i, PALETTE.get(i % PALETTE.size()));
        }
        int f = families.size();
        renderer.setSeriesLinesVisible(f, true);
        renderer.setSeriesShapesVisible(f, false);
        renderer.setSeriesStroke(f, new BasicStroke(1.5f));
        renderer.setSeriesPaint(f, Color.DARK_GRAY);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("BLEU vs compression ratio", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        // lay the chart out once at its saved size to learn where each point lands, then place the labels
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.createBufferedImage(WIDTH, HEIGHT, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        Map<TableRow, Point2D> at = new LinkedHashMap<>();
        for (TableRow r : done) {
            at.put(r, new Point2D.Double(x.valueToJava2D(r.ratioModel(), area, plot.getDomainAxisEdge()),
                    y.valueToJava2D(r.testBleu(), area, plot.getRangeAxisEdge())));
        }
        for (Label l : labels(at, area, LABEL_FONT)) {
            TextAnchor a = l.anchor();
            String text = a == TextAnchor.BOTTOM_LEFT || a == TextAnchor.TOP_LEFT ? "  " + l.row().variant()
                    : a == TextAnchor.BOTTOM_RIGHT || a == TextAnchor.TOP_RIGHT ? l.row().variant() + "  "
                    : l.row().variant();
            XYTextAnnotation label = new XYTextAnnotation(text,
                    l.row().ratioModel(), l.row().testBleu());
            label.setFont(LABEL_FONT);
            label.setTextAnchor(l.anchor());
            plot.addAnnotation(label);
        }
        save(chart, png, WIDTH, HEIGHT);
    }

    /** The family a row is drawn in: its compressor, or original / control for the two reference rows. */
    static String family(TableRow r) {
        return r.isBaseline() ? "original" : r.isControl() ? "control" : r.compressor();
    }

    /** A point's label and where its text sits relative to the point, with its box in plot pixels. */
    record Label(TableRow row, TextAnchor anchor, Rectangle2D box) {
    }

    /**
     * The labels that fit in the plot's data {@code area}, given each finished row's point {@code at} in pixels:
     * Pareto-front points first, then the others by ratio; each tries right-above, right-below, left-above,
     * left-below, centred above and centred below its point and takes the first place that stays inside the area
     * and covers no label placed so far and no other point. A point with no such place goes unlabelled.
     */
    static List<Label> labels(Map<TableRow, Point2D> at, Rectangle2D area, Font font) {
        FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
        List<TableRow> done = List.copyOf(at.keySet());
        List<TableRow> order = new ArrayList<>(paretoFront(done));
        done.stream().filter(r -> !order.contains(r)).sorted(Comparator.comparing(TableRow::ratioModel)).forEach(order::add);
        List<Label> placed = new ArrayList<>();
        for (TableRow r : order) {
            Point2D p = at.get(r);
            double w = fm.stringWidth("  " + r.variant());
            double h = fm.getHeight();
            for (TextAnchor anchor : List.of(TextAnchor.BOTTOM_LEFT, TextAnchor.TOP_LEFT, TextAnchor.BOTTOM_RIGHT,
                    TextAnchor.TOP_RIGHT, TextAnchor.BOTTOM_CENTER, TextAnchor.TOP_CENTER)) {
                double left = anchor == TextAnchor.BOTTOM_LEFT || anchor == TextAnchor.TOP_LEFT ? p.getX()
                        : anchor == TextAnchor.BOTTOM_RIGHT || anchor == TextAnchor.TOP_RIGHT ? p.getX() - w
                        : p.getX() - w / 2;
                boolean above = anchor == TextAnchor.BOTTOM_LEFT || anchor == TextAnchor.BOTTOM_RIGHT
                        || anchor == TextAnchor.BOTTOM_CENTER;
                // centred labels clear the marker vertically
                double top = above ? p.getY() - h - (anchor == TextAnchor.BOTTOM_CENTER ? 4 : 0)
                        : p.getY() + (anchor == TextAnchor.TOP_CENTER ? 4 : 0);
                Rectangle2D box = new Rectangle2D.Double(left, top, w, h);
                boolean free = area.contains(box)
                        && placed.stream().noneMatch(l -> l.box().intersects(box))
                        && at.entrySet().stream().noneMatch(e -> e.getKey() != r
                                && box.intersects(e.getValue().getX() - 4, e.getValue().getY() - 4, 8, 8));
                if (free) {
                    placed.add(new Label(r, anchor, box));
                    break;
                }
            }
        }
        return placed;
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
