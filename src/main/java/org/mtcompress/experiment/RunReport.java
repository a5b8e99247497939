package org.mtcompress.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mtcompress.compress.Scope;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.compress.ScopeSpec;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.RunConfig;
import org.mtcompress.model.NamedParameters;
import org.mtcompress.report.ExperimentReport;
import org.mtcompress.report.Histogram;
import org.mtcompress.util.Json;
import org.mtcompress.util.MachineInfo;

/**
 * What an experiment's report is made of besides the rows' metrics: the table's header (command, hashes, seed,
 * commit, machine), the columns that describe a variant (its scopes), and the self-attention weight histograms of
 * the poster's figure (every row on the original model's bins).
 */
final class RunReport {
    private static final int HISTOGRAM_BINS = 121;

    private RunReport() {
    }

    /** The scope column: the compressor's scope, or the model overrides of an architecture variant. */
    static String describeScope(VariantSpec v) {
        return v.architectureVariant() ? "model " + v.model()
                : String.join(" + ", v.recipe().stream().map(s -> describe(s.compressor().scope())).toList());
    }

    /** The self-attention weights' value range of the uncompressed model, so every histogram shares its bins. */
    static double[] histogramRange(NamedParameters params) {
        double m = 0;
        for (String name : selfAttention(params)) {
            for (float w : params.read(name)) {
                m = Math.max(m, Math.abs(w));
            }
        }
        return new double[] {-m, m};
    }

    static void writeHistogram(RunFolder folder, NamedParameters params, double[] range) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (String name : selfAttention(params)) {
            float[] w = params.read(name);
            parts.add(w);
            n += w.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        double hi = range[1] > 0 ? range[1] : 1;
        Json.writeFile(folder.dir().resolve(ExperimentReport.HISTOGRAM_FILE), Histogram.of(all, HISTOGRAM_BINS, -hi, hi));
    }

    private static List<String> selfAttention(NamedParameters params) {
        return Scope.resolve(params, ScopeSpec.of(ScopePreset.SELF_ATTENTION));
    }

    static double sparsity(NamedParameters params) {
        long zeros = 0;
        long total = 0;
        for (String name : params.names()) {
            for (float w : params.read(name)) {
                if (w == 0f) {
                    zeros++;
                }
                total++;
            }
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    static long totalWeights(NamedParameters params) {
        return params.names().stream().mapToLong(name -> count(params.shape(name))).sum();
    }

    static long count(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** The scope as the table shows it: the preset, plus include/exclude patterns when there are any. */
    static String describe(ScopeSpec s) {
        StringBuilder sb = new StringBuilder(s.preset().name().toLowerCase(java.util.Locale.ROOT));
        if (!s.include().isEmpty()) {
            sb.append(" +").append(s.include());
        }
        if (!s.exclude().isEmpty()) {
            sb.append(" -").append(s.exclude());
        }
        return sb.toString();
    }

    static String header(ConfigLoader.Loaded<ExperimentConfig> loaded, ConfigLoader.Loaded<RunConfig> baseline,
                                 Path runsDir) {
        Map<String, Object> machine = MachineInfo.system();
        Map<String, Object> git = Provenance.git(Path.of("").toAbsolutePath());
        return "# " + loaded.value().experiment() + "\n\n"
                + "Produced by `./mtc run " + (loaded.file() == null ? "<in code>" : loaded.file()) + "` — experiment config hash `"
                + loaded.shortHash() + "`, baseline `" + baseline.shortHash() + "`, root seed " + loaded.value().seed()
                + ", commit `" + git.get("git_commit") + "`" + (Boolean.TRUE.equals(git.get("git_dirty")) ? " (dirty)" : "")
                + ", on " + machine.get("cpu_model") + " × " + machine.get("cpu_cores") + " cores, Java "
                + machine.get("java_version") + ". Each row's run folder under `" + shown(runsDir)
                + "/` holds its config, provenance, metrics and hypotheses.\n"
                + "BLEU: sacreBLEU-compatible corpus BLEU on the test split, detokenized and cased; CI: 95 % paired "
                + "bootstrap; p-value: paired bootstrap against the original.";
    }

    /** A folder as the table's header names it: relative to the working directory when it lies inside it. */
    private static String shown(Path dir) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = dir.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
