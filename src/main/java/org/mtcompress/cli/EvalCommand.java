package org.mtcompress.cli;

import org.mtcompress.eval.Bleu;
import org.mtcompress.eval.Chrf;
import org.mtcompress.eval.LineFiles;
import org.mtcompress.eval.Metric;
import org.mtcompress.eval.ParallelStatistics;
import org.mtcompress.eval.PyText;
import org.mtcompress.eval.Score;
import org.mtcompress.eval.Significance;
import org.mtcompress.eval.Significance.PairedResult;
import org.mtcompress.eval.Significance.SystemResult;
import org.mtcompress.eval.Tokenizer;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mtc eval}: corpus BLEU / chrF / chrF++ of one or more hypothesis files against one or more references,
 * computed as sacreBLEU 2.6.0 computes them, optionally with sacreBLEU's paired significance tests (the first
 * {@code --hyp} is the baseline).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score hypothesis files against references: BLEU, chrF, chrF++ exactly as sacreBLEU 2.6.0, "
                + "with its signatures; paired bootstrap / approximate randomization tests against the first --hyp.",
        footer = {"", "Examples:",
                "  ./mtc eval --ref newstest2014.de --hyp out.de",
                "  ./mtc eval --ref ref.de --hyp base.de --hyp pruned.de --metrics bleu,chrf --paired-bs",
                "  ./mtc eval --ref ref1.de --ref ref2.de --hyp out.de --tokenize intl --lowercase --json"})
public final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--ref", "-r"}, required = true, description = "reference file (repeat for several references)")
    List<Path> refs;

    @Option(names = {"--hyp", "-i"}, required = true, description = "hypothesis file (repeat for several systems)")
    List<Path> hyps;

    @Option(names = {"--metrics", "-m"}, split = ",", defaultValue = "bleu",
            description = "metrics, comma-separated: bleu, chrf, chrf++ (default: ${DEFAULT-VALUE})")
    List<String> metrics;

    @Option(names = {"--tokenize", "-tok"}, defaultValue = "13a", description = "BLEU tokenizer: 13a, intl, none (default: ${DEFAULT-VALUE})")
    String tokenize;

    @Option(names = {"--lowercase", "-lc"}, description = "case-insensitive BLEU and chrF")
    boolean lowercase;

    @Option(names = {"--smooth-method", "-s"}, defaultValue = "exp", description = "BLEU smoothing: exp, floor, add-k, none (default: ${DEFAULT-VALUE})")
    String smooth;

    @Option(names = "--smooth-value", description = "value for floor (default 0.1) or add-k (default 1)")
    Double smoothValue;

    @Option(names = "--sentence-level", description = "sentence BLEU (effective order) for each line of the single --hyp")
    boolean sentenceLevel;

    @Option(names = "--json", description = "JSON instead of a table (keys: system, name, score, signature, verbose, ...)")
    boolean json;

    @Option(names = {"--width", "-w"}, defaultValue = "2", description = "decimals printed (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--paired-bs", description = "paired bootstrap resampling against the first --hyp")
    boolean pairedBs;

    @Option(names = "--paired-ar", description = "paired approximate randomization against the first --hyp")
    boolean pairedAr;

    @Option(names = "--paired-bs-n", defaultValue = "1000", description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
    int pairedBsN;

    @Option(names = "--paired-ar-n", defaultValue = "10000", description = "randomization trials (default: ${DEFAULT-VALUE})")
    int pairedArN;

    @Option(names = "--seed", defaultValue = "12345", description = "seed of the paired tests (sacreBLEU's default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        validateFlags();
        List<Path> files = new ArrayList<>(refs);
        files.addAll(hyps);
        List<List<String>> read = LineFiles.readAll(files);
        List<List<String>> refLines = read.subList(0, refs.size());
        List<List<String>> sysLines = read.subList(refs.size(), read.size());
        int n = sysLines.get(0).size();
        for (int i = 0; i < hyps.size(); i++) {
            if (sysLines.get(i).size() != n) {
                throw new MtcException(hyps.get(i) + ": " + sysLines.get(i).size() + " lines, but " + hyps.get(0)
                        + " has " + n);
            }
        }
        for (int i = 0; i < refs.size(); i++) {
            if (refLines.get(i).size() != n) {
                throw new MtcException(refs.get(i) + ": " + refLines.get(i).size() + " lines, but the hypotheses ("
                        + hyps.get(0) + ") have " + n);
            }
        }
        List<Metric> ms = buildMetrics();
        if (sentenceLevel) {
            sentences(out, sysLines.get(0), refLines);
        } else if (pairedBs || pairedAr) {
            paired(out, ms, refLines, sysLines);
        } else {
            corpus(out, ms, refLines, sysLines);
        }
        out.flush();
        return 0;
    }

    private void validateFlags() {
        if (pairedBs && pairedAr) {
            throw new MtcException("--paired-bs and --paired-ar exclude each other");
        }
        if ((pairedBs || pairedAr) && hyps.size() < 2) {
            throw new MtcException("paired tests need a baseline and at least one more --hyp");
        }
        if (sentenceLevel && (hyps.size() != 1 || pairedBs || pairedAr)) {
            throw new MtcException("--sentence-level takes exactly one --hyp and no paired test");
        }
        if (width < 0 || width > 17) {
            throw new MtcException("--width must be in [0, 17], got " + width);
        }
        if (pairedBsN < 1 || pairedArN < 1) {
            throw new MtcException("--paired-bs-n and --paired-ar-n must be positive");
        }
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new MtcException("--seed must be in [0, 4294967295], got " + seed);
        }
    }

    private Bleu.Options bleuOptions() {
        if (!Tokenizer.NAMES.contains(tokenize)) {
            throw new MtcException("--tokenize: unknown tokenizer '" + tokenize + "' (known: "
                    + String.join(", ", Tokenizer.NAMES) + ")");
        }
        Bleu.Smooth s;
        try {
            s = Bleu.Smooth.of(smooth);
        } catch (IllegalArgumentException e) {
            throw new MtcException("--smooth-method: " + e.getMessage());
        }
        return Bleu.Options.defaults().withTokenize(tokenize).withLowercase(lowercase).withSmooth(s, smoothValue);
    }

    private List<Metric> buildMetrics() {
        List<Metric> ms = new ArrayList<>();
        for (String m : metrics) {
            switch (m.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "bleu" -> ms.add(new Bleu(bleuOptions()));
                case "chrf" -> ms.add(Chrf.chrf(lowercase));
                case "chrf++" -> ms.add(Chrf.chrfPlusPlus(lowercase));
                default -> throw new MtcException("--metrics: unknown metric '" + m + "' (known: bleu, chrf, chrf++)");
            }
        }
        if (ms.isEmpty()) {
            throw new MtcException("--metrics: no metric given (known: bleu, chrf, chrf++)");
        }
        return ms;
    }

    private String fmt(double x) {
        return PyText.formatFixed(x, width);
    }

    private Map<String, Object> jsonScore(String system, Score s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("system", system);
        m.put("name", s.name());
        m.put("score", Double.parseDouble(fmt(s.score())));
        m.put("score_exact", s.score());
        m.put("signature", s.signature());
        m.put("verbose", s.verbose());
        m.putAll(s.details());
        return m;
    }

    private void corpus(PrintWriter out, List<Metric> ms, List<List<String>> refLines, List<List<String>> sysLines) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"system", "metric", "score", "signature", "details"});
        int threads = ParallelStatistics.threadsFor(sysLines.get(0).size());
        for (int i = 0; i < hyps.size(); i++) {
            for (int k = 0; k < ms.size(); k++) {
                Metric m = ms.get(k);
                int metricIndex = k;
                Score s = m.score(Metric.sum(ParallelStatistics.compute(() -> buildMetrics().get(metricIndex),
                        sysLines.get(i), refLines, threads)), refLines.size());
                rows.add(jsonScore(hyps.get(i).toString(), s));
                table.add(new String[] {hyps.get(i).toString(), s.name(), fmt(s.score()), s.signature(), s.verbose()});
            }
        }
        if (json) {
            out.println(Json.write(rows));
        } else {
            printTable(out, table);
        }
    }

    private void sentences(PrintWriter out, List<String> hyp, List<List<String>> refLines) {
        Bleu bleu = new Bleu(bleuOptions().withEffectiveOrder(true));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < hyp.size(); i++) {
            List<String> r = new ArrayList<>();
            for (List<String> stream : refLines) {
                r.add(stream.get(i));
            }
            Score s = bleu.sentenceScore(hyp.get(i), r);
            if (json) {
                Map<String, Object> m = jsonScore(hyps.get(0).toString(), s);
                m.put("line", i + 1);
                rows.add(m);
            } else {
                out.println(s.format(width));
            }
        }
        if (json) {
            out.println(Json.write(rows));
        }
    }

    private void paired(PrintWriter out, List<Metric> ms, List<List<String>> refLines, List<List<String>> sysLines) {
        List<String> names = new ArrayList<>();
        for (Path h : hyps) {
            names.add(h.toString());
        }
        List<PairedResult> results = new ArrayList<>();
        for (Metric m : ms) {
            results.add(pairedBs
                    ? Significance.pairedBootstrap(m, refLines, names, sysLines, pairedBsN, seed)
                    : Significance.approximateRandomization(m, refLines, names, sysLines, pairedArN, seed));
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PairedResult r : results) {
                List<SystemResult> all = new ArrayList<>();
                all.add(r.baseline());
                all.addAll(r.systems());
                for (int i = 0; i < all.size(); i++) {
                    SystemResult s = all.get(i);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("system", s.system());
                    m.put("baseline", i == 0);
                    m.put("name", r.metric());
                    m.put("score", Double.parseDouble(fmt(s.score())));
                    m.put("score_exact", s.score());
                    m.put("signature", r.signature());
                    m.put("verbose", pairedCell(s, " "));
                    m.put("test", r.test());
                    m.put("p_value", s.pValue());
                    m.put("mean", s.mean());
                    m.put("ci", s.ci());
                    rows.add(m);
                }
            }
            out.println(Json.write(rows));
            return;
        }
        List<String[]> table = new ArrayList<>();
        String[] header = new String[1 + results.size()];
        header[0] = "System";
        for (int k = 0; k < results.size(); k++) {
            header[k + 1] = results.get(k).metric() + (pairedBs ? " (μ ± 95% CI)" : "");
        }
        table.add(header);
        for (int i = 0; i < hyps.size(); i++) {
            String[] row = new String[1 + results.size()];
            row[0] = (i == 0 ? "Baseline: " : "") + names.get(i);
            for (int k = 0; k < results.size(); k++) {
                PairedResult r = results.get(k);
                row[k + 1] = pairedCell(i == 0 ? r.baseline() : r.systems().get(i - 1), " ");
            }
            table.add(row);
        }
        printTable(out, table);
        out.println();
        String msg = pairedBs
                ? "Paired bootstrap resampling test with " + pairedBsN + " resampling trials"
                : "Paired approximate randomization test with " + pairedArN + " trials";
        out.println(msg);
        out.println(" - Each system is compared with the baseline " + names.get(0) + "; p < 0.05 is marked with *.");
        if (pairedBs) {
            out.println("   Actual system score (bootstrap estimated true mean ± 95% CI) are given for each metric.");
        }
        out.println(" - Metric signatures:");
        for (PairedResult r : results) {
            out.println("   " + String.format("%-10s", r.metric()) + " " + r.signature());
        }
    }

    /** sacreBLEU's cell: {@code 27.30 (27.31 ± 0.80) (p = 0.0010)*}. */
    private String pairedCell(SystemResult s, String pBreak) {
        StringBuilder sb = new StringBuilder(fmt(s.score()));
        if (s.mean() != null) {
            sb.append(" (").append(fmt(s.mean())).append(" ± ").append(fmt(s.ci())).append(')');
        }
        if (s.pValue() != null) {
            sb.append(pBreak).append("(p = ").append(PyText.formatFixed(s.pValue(), 4)).append(')');
            if (s.pValue() <= 0.05) {
                sb.append('*');
            }
        }
        return sb.toString();
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    sb.append("  ");
                }
                String v = rows.get(i)[c];
                sb.append(c == cols - 1 ? v : String.format("%-" + w[c] + "s", v));
            }
            out.println(sb.toString().stripTrailing());
            if (i == 0) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < cols; c++) {
                    if (c > 0) {
                        line.append("  ");
                    }
                    line.append("-".repeat(w[c]));
                }
                out.println(line);
            }
        }
    }
}
