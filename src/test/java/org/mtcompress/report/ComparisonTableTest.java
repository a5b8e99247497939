package org.mtcompress.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.cli.Main;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import tech.tablesaw.api.Table;

class ComparisonTableTest {
    @TempDir
    Path results;

    private static TableRow row(String name, String role, double bleu, double ratio) {
        return new TableRow(name, role, role.equals("baseline") ? "none" : "kmeans", "all", bleu, bleu - 1, bleu + 1,
                "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0", ratio, ratio * 1.1, 32 / ratio, 0.0,
                role.equals("baseline") ? 0 : 100, role.equals("baseline") ? null : 0.04, 12.0, "finished", null);
    }

    private Path writeRuns(List<TableRow> rows) {
        Path runs = results.resolve("runs/demo");
        for (TableRow r : rows) {
            Json.writeFile(runs.resolve(r.variant()).resolve("metrics.json"), Map.of("row", r));
        }
        return runs;
    }

    @Test
    void relativeColumnsAreComputedAgainstTheBaseline() {
        List<TableRow> rows = List.of(row("original", "baseline", 20.0, 1.0), row("kmeans4", "variant", 19.0, 5.5),
                TableRow.failed("broken", "kmeans", "all", 1.0, "boom"));
        Table t = ComparisonTable.build(rows);
        assertEquals(ComparisonTable.COLUMNS, t.columnNames());
        assertEquals(3, t.rowCount());
        assertEquals(-1.0, t.doubleColumn("ΔBLEU").getDouble(1), 1e-12);
        assertEquals(95.0, t.doubleColumn("% of original").getDouble(1), 1e-12);
        assertTrue(t.doubleColumn("BLEU (test)").isMissing(2));
        assertTrue(t.stringColumn("status").get(2).contains("boom"));
        String md = ComparisonTable.toMarkdown(t);
        assertTrue(md.contains("| kmeans4 | kmeans | all | 19.00 | -1.00 | 95.00 | – | 5.50x |"), md);
    }

    @Test
    void percentOfControlIsAgainstTheRowMarkedControl() throws Exception {
        TableRow control = new TableRow("original-retrained", "control", "none", "all", 22.0, 21.0, 23.0,
                "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0", 1.0, 1.0, 32.0, 0.0, 100, 0.01, 12.0,
                "finished", null);
        Path runs = writeRuns(List.of(row("original", "baseline", 20.0, 1.0), row("kmeans4", "variant", 19.8, 5.5),
                control, row("a-pruned", "variant", 11.0, 2.0)));
        List<TableRow> rows = ComparisonTable.readRows(runs);
        // baseline, then the control row, then variants by name
        assertEquals(List.of("original", "original-retrained", "a-pruned", "kmeans4"),
                rows.stream().map(TableRow::variant).toList());
        Table t = ComparisonTable.build(rows);
        assertEquals(ComparisonTable.COLUMNS.indexOf("% of original") + 1, ComparisonTable.COLUMNS.indexOf("% of control"));
        assertTrue(t.doubleColumn("% of control").isMissing(0), "the baseline has no % of control");
        assertEquals(100.0, t.doubleColumn("% of control").getDouble(1), 1e-12);
        assertEquals(50.0, t.doubleColumn("% of control").getDouble(2), 1e-12);
        assertEquals(90.0, t.doubleColumn("% of control").getDouble(3), 1e-12);
        assertEquals(99.0, t.doubleColumn("% of original").getDouble(3), 1e-12);
        assertEquals(110.0, t.doubleColumn("% of original").getDouble(1), 1e-12);

        assertEquals(0, Main.execute("table", runs.toString()));
        List<String> csv = Files.readAllLines(runs.resolve("table.csv"));
        assertTrue(csv.get(0).startsWith("variant,compressor,scope,BLEU (test),ΔBLEU,% of original,% of control,"), csv.get(0));
        String md = Files.readString(runs.resolve("table.md"));
        assertTrue(md.contains("| kmeans4 | kmeans | all | 19.80 | -0.20 | 99.00 | 90.00 | 5.50x |"), md);
    }

    /**
     * The packed decode memory column: computed from each row's stored forms, shown where the run wrote it and empty
     * for rows from runs that did not (metrics.json written before the column existed).
     */
    @Test
    void decodeMemoryColumnComesFromTheStoredForms() {
        org.mtcompress.model.ParameterMap p = new org.mtcompress.model.ParameterMap();
        java.util.Random rnd = new java.util.Random(1);
        float[] w = new float[256 * 128];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        p.put("encoder.layers.0.fc1.weight", new long[] {256, 128}, w);
        p.put("encoder.layers.0.fc1.bias", new long[] {256}, new float[256]);
        org.mtcompress.compress.Encoding k4 = org.mtcompress.compress.CompressionPipeline.run(p,
                org.mtcompress.compress.CompressorSpec.defaults("kmeans", 4),
                org.mtcompress.compress.CompressorRegistry.standard(), null, 0).encoding();
        long dense = org.mtcompress.infer.StoredForms.residentBytes(p, org.mtcompress.compress.Encoding.of(Map.of()));
        long packed = org.mtcompress.infer.StoredForms.residentBytes(p, k4);
        assertEquals(4L * (256 * 128 + 256), dense);
        // 4-bit indices (+ 8 bytes of load padding), 16 centroids, the fp32 bias
        assertEquals(256 * 128 / 2 + 8 + 16 * 4 + 4 * 256, packed);
        TableRow base = row("original", "baseline", 20.0, 1.0);
        TableRow withMemory = new TableRow("kmeans4", "variant", "kmeans", "all", 19.0, 18.0, 20.0, "sig", 5.5, 6.0, 4.1,
                0.0, 0, 0.04, 12.0, "finished", null, packed / 1e6);
        Table t = ComparisonTable.build(List.of(base, withMemory));
        assertTrue(t.doubleColumn("decode weights (MB)").isMissing(0));
        assertEquals(packed / 1e6, t.doubleColumn("decode weights (MB)").getDouble(1), 1e-12);
        String md = ComparisonTable.toMarkdown(t);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| finished | %.2f |", packed / 1e6)), md);
        TableRow back = Json.MAPPER.convertValue(Json.MAPPER.convertValue(withMemory, Map.class), TableRow.class);
        assertEquals(withMemory, back);
    }

    @Test
    void paretoFrontKeepsOnlyUndominatedRuns() {
        List<TableRow> rows = List.of(row("a", "baseline", 20, 1), row("b", "variant", 19, 4),
                row("c", "variant", 15, 3), row("d", "variant", 10, 16));
        assertEquals(List.of("a", "b", "d"), Charts.paretoFront(rows).stream().map(TableRow::variant).toList());
    }

    @Test
    void tableCommandRebuildsTableAndChartsFromRunFoldersAlone() throws Exception {
        Path runs = writeRuns(List.of(row("original", "baseline", 20.0, 1.0), row("kmeans4", "variant", 19.0, 5.5)));
        Json.writeFile(runs.resolve("original").resolve(ExperimentReport.HISTOGRAM_FILE),
                Histogram.of(new float[] {-0.1f, 0f, 0.05f, 0.1f}, 8, -0.2, 0.2));
        assertEquals(0, Main.execute("table", runs.toString()));
        Path out = runs;   // the user's own runs (results/runs/<experiment>) hold their table
        assertTrue(Files.exists(out.resolve("table.csv")));
        // a committed reference (results/<experiment>/runs) gets its table one level up
        Path ref = results.resolve("demo/runs");
        Files.createDirectories(ref.getParent());
        Files.move(runs, ref);
        Files.delete(ref.resolve("table.csv"));
        assertEquals(0, Main.execute("table", ref.toString()));
        out = results.resolve("demo");
        String csv = Files.readString(out.resolve("table.csv"));
        assertTrue(csv.startsWith("variant,compressor,scope,BLEU (test)"), csv);
        assertTrue(Files.readString(out.resolve("table.md")).contains("kmeans4"));
        for (String png : List.of("bleu_vs_ratio.png", "bleu_bars.png", "weight_histograms.png")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png);
        }
    }

    @Test
    void chartLabelsNeverOverlapAndTheParetoFrontIsLabelledFirst() {
        // nine rows crowded between 1x and 1.4x (the poster's embedding and self-attention rows), three spread out
        List<TableRow> rows = new java.util.ArrayList<>();
        rows.add(row("original", "baseline", 30.0, 1.0));
        for (int i = 0; i < 9; i++) {
            rows.add(row("crowded-" + i, "variant", 29.0 + 0.2 * i, 1.2 + 0.02 * i));
        }
        rows.add(row("kmeans4", "variant", 29.5, 8));
        rows.add(row("kmeans1", "variant", 1.0, 29));
        rows.add(row("prune", "variant", 15.0, 2));
        // a plot of 800 x 400 pixels: log-2 ratio across, BLEU 0..32 down
        java.awt.geom.Rectangle2D area = new java.awt.geom.Rectangle2D.Double(50, 20, 800, 400);
        Map<TableRow, java.awt.geom.Point2D> at = new java.util.LinkedHashMap<>();
        for (TableRow r : rows) {
            at.put(r, new java.awt.geom.Point2D.Double(60 + 700 * Math.log(r.ratioModel()) / Math.log(32),
                    20 + 400 * (1 - r.testBleu() / 32)));
        }
        List<Charts.Label> labels = Charts.labels(at, area, new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 12));
        for (int i = 0; i < labels.size(); i++) {
            assertTrue(area.contains(labels.get(i).box()), labels.get(i).row().variant());
            for (int j = i + 1; j < labels.size(); j++) {
                assertTrue(!labels.get(i).box().intersects(labels.get(j).box()),
                        labels.get(i).row().variant() + " overlaps " + labels.get(j).row().variant());
            }
        }
        List<String> named = labels.stream().map(l -> l.row().variant()).toList();
        // the front (crowded-8 at the top of the crowd, kmeans4, kmeans1) is placed first, where it fits (crowded-8's
        // neighbours sit 2 pixels away and block every place), then the rest; the spread-out prune too
        List<String> front = Charts.paretoFront(rows).stream().map(TableRow::variant).toList();
        assertEquals(List.of("crowded-8", "kmeans4", "kmeans1"), front);
        assertEquals(List.of("kmeans4", "kmeans1"), named.subList(0, 2));
        assertTrue(named.contains("prune"), named.toString());
        long crowdedLabelled = named.stream().filter(n -> n.startsWith("crowded-")).count();
        assertTrue(crowdedLabelled < 9 && crowdedLabelled >= 1, named.toString());
        // families: the baseline, the control row and each compressor
        assertEquals("original", Charts.family(rows.get(0)));
        assertEquals("kmeans", Charts.family(rows.get(1)));
        assertEquals("control", Charts.family(new TableRow("c", "control", "none", "all", 1.0, null, null, null, 1.0,
                1.0, 32.0, 0.0, 1, null, 1.0, "finished", null)));
    }

    @Test
    void emptyRunFolderIsAClearError() throws Exception {
        Files.createDirectories(results.resolve("runs/none"));
        assertThrows(MtcException.class, () -> ComparisonTable.readRows(results.resolve("runs/none")));
    }

    @Test
    void histogramCountsEveryValueOnce() {
        Histogram h = Histogram.of(new float[] {-5f, -0.1f, 0f, 0.1f, 5f}, 4, -1, 1);
        assertEquals(5, h.total());
        // bins of width 0.5 over [-1, 1]; -5 and 5 are clamped into the first and last bin
        assertArrayEquals(new long[] {1, 1, 2, 1}, h.counts());
    }

    @Test
    void everyTestSplitGetsABleuColumnAndOldRunFoldersStillRead() {
        TableRow base = new TableRow("original", "baseline", "none", "-", 20.0, null, null, "sig", 1.0, 1.0, 32.0, 0.0,
                0, null, 5.0, "finished", null, null, Map.of("test_2017_flickr", 18.0));
        TableRow kmeans = new TableRow("kmeans4", "variant", "kmeans", "all", 19.0, null, null, "sig", 7.7, 8.0, 4.0,
                0.0, 100, 0.04, 5.0, "finished", null, null, Map.of("test_2017_flickr", 17.1));
        Path runs = writeRuns(List.of(base, kmeans));
        // a run folder written before rows had other splits
        Map<String, Object> old = new java.util.LinkedHashMap<>(Json.MAPPER.convertValue(row("prune", "variant", 11.0,
                2.0), Map.class));
        assertTrue(old.remove("other_test_bleu") != null);
        Json.writeFile(runs.resolve("prune").resolve("metrics.json"), Map.of("row", old));
        List<TableRow> read = ComparisonTable.readRows(runs);
        Table t = ComparisonTable.build(read);
        assertEquals(List.of("variant", "compressor", "scope", "BLEU (test)", "BLEU (test_2017_flickr)", "ΔBLEU"),
                t.columnNames().subList(0, 6));
        assertEquals(List.of("original", "kmeans4", "prune"), t.stringColumn("variant").asList());
        assertEquals(18.0, t.doubleColumn("BLEU (test_2017_flickr)").getDouble(0), 1e-9);
        assertEquals(17.1, t.doubleColumn("BLEU (test_2017_flickr)").getDouble(1), 1e-9);
        assertTrue(t.doubleColumn("BLEU (test_2017_flickr)").isMissing(2));
        assertTrue(ComparisonTable.toMarkdown(t).contains("| kmeans4 | kmeans | all | 19.00 | 17.10 | -1.00 | 95.00 |"),
                ComparisonTable.toMarkdown(t));
        // without other splits the columns are the standard ones
        assertEquals(ComparisonTable.COLUMNS, ComparisonTable.build(List.of(row("original", "baseline", 20, 1)))
                .columnNames());
    }
}
