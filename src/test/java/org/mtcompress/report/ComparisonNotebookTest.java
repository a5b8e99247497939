package org.mtcompress.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.util.Json;

/**
 * Runs {@code notebooks/comparison.ipynb} headlessly ({@code notebooks/run.sh}: Jupyter nbconvert with the Java
 * kernel) on a results folder made here, and checks what the executed notebook shows. Needs {@code mvn package}
 * (it runs in the integration-test phase) and Debian's Jupyter packages: it fails, not skips, without them.
 */
@Tag("slow")
class ComparisonNotebookTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final List<String> JUPYTER_PACKAGES = List.of("jupyter-nbconvert", "python3-nbclient",
            "python3-ipykernel", "jupyter-client", "python3-nbformat");

    @TempDir
    Path tmp;

    private static TableRow row(String name, String compressor, double bleu, double ratio, long steps, Double p) {
        boolean base = name.equals("original");
        return new TableRow(name, base ? "baseline" : "variant", compressor, base ? "-" : "self_attention", bleu,
                bleu - 0.8, bleu + 0.8, "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0", ratio,
                ratio * 1.5, 32 / ratio, 0.0, steps, p, 30.0 + steps / 10.0, "finished", null);
    }

    @Test
    void notebookReproducesTheTableAndDrawsTheChart() throws Exception {
        requireJupyter();
        for (String built : List.of("target/classes", "target/lib", "target/notebook-kernel/rapaio-jupyter-kernel.jar")) {
            assertTrue(Files.exists(ROOT.resolve(built)), built + " is missing: the notebook test runs after `mvn package`");
        }
        // a small experiment: baseline, two finished variants (one of them dominated) and a failed one
        Path runs = tmp.resolve("results/nbdemo/runs");
        List<TableRow> rows = List.of(row("original", "none", 27.25, 1.0, 0, null),
                row("kmeans_4bit", "kmeans", 26.5, 6.4, 200, 0.031),
                row("prune_50", "magnitude", 21.75, 1.9, 200, 0.0004),
                TableRow.failed("bsflex_sa", "bsflex", "self_attention", 2.5, "scope matched no parameter"));
        for (TableRow r : rows) {
            Json.writeFile(runs.resolve(r.variant()).resolve("metrics.json"), Map.of("row", r));
        }
        Path results = tmp.resolve("results/nbdemo");
        ExperimentReport.write(runs, results, "# nbdemo");
        Path out = tmp.resolve("notebook-out");

        Path log = tmp.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("notebooks/run.sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MTC_RESULTS", results.toString());
        pb.environment().put("MTC_NOTEBOOK_OUT", out.toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("notebook did not finish within 10 minutes; log:\n" + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), () -> "notebooks/run.sh failed; log:\n" + read(log));

        JsonNode nb = Json.MAPPER.readTree(out.resolve("comparison.ipynb").toFile());
        String text = outputsText(nb);
        // the table as table.md shows it, row by row, rebuilt by the notebook from table.csv
        String md = Files.readString(results.resolve("table.md"), StandardCharsets.UTF_8);
        for (String line : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            assertTrue(text.contains(line), "executed notebook lacks the table line " + line + "\n" + text);
        }
        for (TableRow r : rows) {
            assertTrue(text.contains(r.variant()), r.variant());
        }
        assertTrue(text.contains("table.csv matches the run folders"), text);
        assertTrue(text.contains("(3 runs, 2 on the front)"), text);

        Path png = out.resolve("nbdemo/bleu_vs_ratio.png");
        assertTrue(Files.exists(png), "chart not written: " + png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(png), 4));
        // shown inline: the chart, and bleu_bars.png from the results folder
        assertTrue(imageOutputs(nb) >= 2, "expected inline PNG outputs in the executed notebook");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** All text the executed cells printed or returned, ANSI colour codes removed. */
    private static String outputsText(JsonNode nb) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode cell : nb.path("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                appendText(sb, o.path("text"));
                appendText(sb, o.path("data").path("text/plain"));
                appendText(sb, o.path("data").path("text/html"));
            }
        }
        return sb.toString().replaceAll("\u001B\\[[0-9;]*m", "");
    }

    private static void appendText(StringBuilder sb, JsonNode text) {
        if (text.isArray()) {
            text.forEach(t -> sb.append(t.asText()));
        } else if (text.isTextual()) {
            sb.append(text.asText());
        }
        sb.append('\n');
    }

    private static int imageOutputs(JsonNode nb) {
        List<JsonNode> images = new ArrayList<>();
        for (JsonNode cell : nb.path("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                if (o.path("data").has("image/png")) {
                    images.add(o);
                }
            }
        }
        return images.size();
    }

    private static void requireJupyter() throws IOException, InterruptedException {
        String missing = "Jupyter is missing (`jupyter nbconvert` did not run): install the Debian packages "
                + String.join(" ", JUPYTER_PACKAGES) + " (apt-get install -y --no-install-recommends ...)";
        try {
            Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(missing);
            }
        } catch (IOException e) {
            fail(missing + " (" + e.getMessage() + ")");
        }
    }
}
