package org.mtcompress.cli;

import org.mtcompress.eval.Bleu;
import org.mtcompress.eval.Chrf;
import org.mtcompress.eval.LineFiles;
import org.mtcompress.eval.Significance;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mtc bench bleu}: times corpus BLEU, chrF and chrF++ (tokenization included, files already in memory)
 * after JVM warm-up, and one paired bootstrap; prints wall and thread-CPU ms per corpus and lines per
 * second (CPU time is the steadier figure on a shared machine).
 */
@Command(name = "bleu", mixinStandardHelpOptions = true,
        description = "Benchmark corpus BLEU / chrF / chrF++ (and a paired bootstrap) on a file pair after JVM warm-up.",
        footer = {"", "Example:",
                "  ./mtc bench bleu --ref ../shared/wmt/newstest/newstest2014.de     # hyp: a perturbed copy of the ref"})
public final class BenchBleuCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ref", required = true, description = "reference file")
    Path ref;

    @Option(names = "--hyp", description = "hypothesis file (default: the reference with every 7th word dropped, "
            + "some words lower-cased and some word pairs swapped)")
    Path hyp;

    @Option(names = "--warmup", defaultValue = "30", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", defaultValue = "30", description = "timed runs (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--bleu-only", description = "only the BLEU (13a) row (what scripts/bench-eval.sh compares with)")
    boolean bleuOnly;

    /** The default hypothesis: a deterministic perturbation of the reference. */
    static List<String> perturb(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String[] words = lines.get(ln).split(" ", -1);
            List<String> w = new ArrayList<>();
            for (int i = 0; i < words.length; i++) {
                if ((i + ln) % 7 == 0) {
                    continue;
                }
                w.add((3 * i + ln) % 11 == 0 ? words[i].toLowerCase(Locale.ROOT) : words[i]);
            }
            if (ln % 5 == 0 && w.size() > 2) {
                String t = w.get(0);
                w.set(0, w.get(1));
                w.set(1, t);
            }
            out.add(String.join(" ", w));
        }
        return out;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> refLines = LineFiles.read(ref);
        List<String> hypLines = hyp != null ? LineFiles.read(hyp) : perturb(refLines);
        if (hypLines.size() != refLines.size()) {
            throw new org.mtcompress.util.MtcException(hyp + ": " + hypLines.size() + " lines, but " + ref + " has "
                    + refLines.size());
        }
        List<List<String>> refs = List.of(refLines);
        int n = refLines.size();
        out.printf("%d lines, warm-up %d runs, %d timed runs (Java %s, %d cores)%n", n, warmup, iterations,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        out.printf("%-24s %10s %10s %12s %12s %10s%n", "what", "median ms", "min ms", "cpu ms (med)", "lines/s",
                "score");
        Bleu bleu = new Bleu();
        row(out, "BLEU (13a)", n, () -> bleu.corpusScore(hypLines, refs).score());
        if (bleuOnly) {
            out.flush();
            return 0;
        }
        Bleu intl = new Bleu(Bleu.Options.defaults().withTokenize("intl"));
        row(out, "BLEU (intl)", n, () -> intl.corpusScore(hypLines, refs).score());
        Chrf chrf = Chrf.chrf(false);
        row(out, "chrF2", n, () -> chrf.corpusScore(hypLines, refs).score());
        Chrf chrfpp = Chrf.chrfPlusPlus(false);
        row(out, "chrF2++", n, () -> chrfpp.corpusScore(hypLines, refs).score());
        List<String> other = perturb(hypLines);
        int saved = iterations;
        iterations = Math.max(3, iterations / 10);
        warmup = Math.max(2, warmup / 10);
        row(out, "paired-bs BLEU (1000)", n, () -> Significance.pairedBootstrap(refs, hypLines, other,
                Significance.DEFAULT_SEED).pValue());
        iterations = saved;
        out.flush();
        return 0;
    }

    private void row(PrintWriter out, String what, int lines, Supplier<Double> run) {
        double value = 0;
        for (int i = 0; i < warmup; i++) {
            value = run.get();
        }
        double[] ms = new double[iterations];
        double[] cpu = new double[iterations];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < iterations; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            value = run.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        double median = ms[ms.length / 2];
        out.printf("%-24s %10.2f %10.2f %12.2f %12.0f %10.4f%n", what, median, ms[0], cpu[cpu.length / 2],
                lines / (median / 1000), value);
        out.flush();
    }
}
