package org.mtcompress.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.experiment.sweep.SweepRun;
import org.mtcompress.experiment.sweep.SweepSpec;
import org.mtcompress.report.ExperimentReport;
import org.mtcompress.report.TableRow;
import org.mtcompress.train.TrainRun;
import org.mtcompress.util.MtcException;
import tech.tablesaw.api.Table;

/**
 * Runs an experiment: decides which rows to compute, reuse or refuse, gets each row's baseline from the
 * {@link BaselineStore} (content-addressed, trained once), has the {@link VariantRunner} compute each row (the
 * original, then each variant's recipe of compression stages on a fresh copy of the baseline), and finally writes
 * the comparison table and charts with {@link RunReport}'s header.
 *
 * <p>Rows: the original, the listed variants, and the grid runs of the file's {@code grid:}/{@code zip:}
 * ({@link #rows}); {@code mtc run --only NAME} computes one of them, which is how a sweep runs its rows in
 * parallel processes or Slurm tasks.
 *
 * <p>Resuming: finished rows are never recomputed; an unfinished baseline resumes from its last checkpoint; an
 * unfinished or failed variant is recomputed from the baseline. A failing variant is recorded with its error and
 * the others go on.
 */
public final class ExperimentRunner {
    /** Row name of the uncompressed baseline. */
    public static final String ORIGINAL = "original";
    /** Folder under {@code runs/} holding trained baselines by config hash. */
    public static final String BASELINES = "baselines";
    static final String HYP_FILE = "hyp.test.txt";

    private final Path resultsRoot;
    private final Path projectRoot;
    private final Consumer<String> out;
    private final boolean reference;

    /**
     * A runner that writes the user's own runs, {@code <results>/runs/<experiment>/} (see {@link ResultsLayout}).
     *
     * @param resultsRoot the {@code results/} folder
     * @param projectRoot the checkout (for the git commit in provenance), or null
     * @param out         where progress lines go
     */
    public ExperimentRunner(Path resultsRoot, Path projectRoot, Consumer<String> out) {
        this(resultsRoot, projectRoot, out, false);
    }

    /**
     * @param reference true to write into the committed reference, {@code <results>/<experiment>/} with its rows
     *                  under {@code runs/}, instead of the user's own runs
     */
    public ExperimentRunner(Path resultsRoot, Path projectRoot, Consumer<String> out, boolean reference) {
        this.resultsRoot = resultsRoot;
        this.projectRoot = projectRoot;
        this.out = out;
        this.reference = reference;
    }

    /** The folder holding this runner's row folders of {@code experiment}. */
    public Path runsDir(String experiment) {
        return reference ? ResultsLayout.referenceRuns(resultsRoot, experiment) : ResultsLayout.ownRuns(resultsRoot, experiment);
    }

    /** The folder this runner writes the table and charts of {@code experiment} to. */
    public Path tableDir(String experiment) {
        return reference ? ResultsLayout.referenceTable(resultsRoot, experiment) : ResultsLayout.ownRuns(resultsRoot, experiment);
    }

    /** What a run does with a row: compute it, reuse its finished folder, or refuse a finished one whose config changed. */
    public enum RowState { COMPUTE, REUSE, CHANGED }

    /**
     * What {@link #run} does with row {@code r} of {@code experiment}: only a finished folder of this runner's own
     * layout counts, so a committed reference never stands in for the user's run.
     */
    public RowState state(String experiment, Row r) {
        Path dir = ResultsLayout.row(runsDir(experiment), r.name());
        if (!RunFolder.isFinished(dir)) {
            return RowState.COMPUTE;
        }
        return r.config().hash().equals(RunFolder.configHash(dir)) ? RowState.REUSE : RowState.CHANGED;
    }

    /** What a run did; {@code table} and {@code tableDir} are null after a single row ({@code --only}). */
    public record Outcome(Table table, int finished, int failed, int reused, Path tableDir) {
    }

    /**
     * One row to compute: its name (run folder and table row), the experiment config it runs under (the file's, or
     * with a grid run's overrides applied, which may change the baseline too), and its variant (null for
     * {@link #ORIGINAL}).
     */
    public record Row(String name, ExperimentConfig cfg, VariantSpec variant, List<String> overrides) {
        /** What the row's run folder is content-addressed by: its baseline, evaluation and variant. */
        public ConfigLoader.Loaded<RowConfig> config() {
            return ConfigLoader.of(new RowConfig(cfg.baseline(), cfg.eval(), variant), null);
        }
    }

    /**
     * Every row of an experiment, in order: the original, the listed variants, then the runs of the file's
     * {@code grid:}/{@code zip:} (see {@link SweepSpec}), each the {@code variant:} template with the run's
     * overrides applied to the whole experiment config and named after them. Each recipe's stage scopes are
     * checked against the row's model config here ({@link RecipeScopes}), before anything trains.
     */
    public static List<Row> rows(ConfigLoader.Loaded<ExperimentConfig> loaded) {
        ExperimentConfig cfg = loaded.value();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(ORIGINAL, cfg, null, List.of()));
        for (VariantSpec v : cfg.variants()) {
            rows.add(new Row(v.name(), cfg, v, List.of()));
        }
        Path file = loaded.file();
        SweepSpec spec = file == null ? null : SweepSpec.load(file);
        if (spec != null && spec.hasAxes()) {
            if (cfg.variant() == null) {
                throw new MtcException(file + ": grid:/zip: need a 'variant:' section, the template of every grid run");
            }
            Set<String> names = new HashSet<>();
            rows.forEach(r -> names.add(r.name().toLowerCase(java.util.Locale.ROOT)));
            for (SweepRun run : spec.runs()) {
                if (!names.add(run.name().toLowerCase(java.util.Locale.ROOT))) {
                    throw new MtcException(file + ": grid run '" + run.name() + "' has the name of another row");
                }
                ExperimentConfig rc;
                try {
                    rc = ConfigLoader.override(cfg, run.overrides());
                } catch (MtcException e) {
                    throw new MtcException(file + ": grid run '" + run.name() + "': " + e.getMessage(), e);
                }
                if (!rc.experiment().equals(cfg.experiment())) {
                    throw new MtcException(file + ": a grid must not change 'experiment'");
                }
                VariantSpec variant;
                try {
                    variant = rc.variant().named(run.name());
                } catch (IllegalArgumentException e) {
                    throw new MtcException(file + ": grid run '" + run.name() + "': " + e.getMessage(), e);
                }
                rows.add(new Row(run.name(), rc, variant, run.overrides()));
            }
        }
        RecipeScopes.check(file, cfg, rows);
        return rows;
    }

    /** Runs every row that is not finished yet, then rebuilds the table and charts. */
    public Outcome run(ConfigLoader.Loaded<ExperimentConfig> loaded) {
        return run(loaded, null);
    }

    /**
     * Runs every row that is not finished yet and rebuilds the table and charts; with {@code only}, runs just that
     * row (a variant or grid run name, or {@code original}) into the same folder a full run would use, and leaves
     * the table to {@code mtc table} / {@code mtc sweep collect}.
     *
     * @throws MtcException (exit code 2) when {@code only} names no row
     */
    public Outcome run(ConfigLoader.Loaded<ExperimentConfig> loaded, String only) {
        ExperimentConfig cfg = loaded.value();
        long t0 = System.nanoTime();
        List<Row> rows = rows(loaded);
        if (only != null) {
            List<Row> one = rows.stream().filter(r -> r.name().equals(only)).toList();
            if (one.isEmpty()) {
                throw new MtcException("no row '" + only + "' in " + (loaded.file() == null ? cfg.experiment() : loaded.file())
                        + " (rows: " + String.join(", ", rows.stream().map(Row::name).toList()) + ")");
            }
            rows = one;
        }
        BaselineStore baselines = new BaselineStore(resultsRoot, projectRoot, out);
        VariantRunner runner = new VariantRunner(resultsRoot, baselines, out);
        Context ctx = new Context();
        int finished = 0;
        int failed = 0;
        int reused = 0;
        int total = rows.size();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            VariantSpec v = r.variant();
            ExperimentConfig rc = r.cfg();
            ConfigLoader.Loaded<RowConfig> rowCfg = r.config();
            Path dir = ResultsLayout.row(runsDir(cfg.experiment()), r.name());
            RowState state = state(cfg.experiment(), r);
            if (state != RowState.COMPUTE) {
                String had = RunFolder.configHash(dir);
                if (state == RowState.CHANGED) {
                    // a finished row is never recomputed, so a changed row must not pass for the old one
                    out.accept(String.format("[%d/%d] %s: failed: finished earlier with another config (hash %s, now %s); "
                                    + "kept as is: rename the variant, or delete %s to recompute it", i + 1, total, r.name(),
                            shortHash(had), shortHash(rowCfg.hash()), dir));
                    failed++;
                    continue;
                }
                out.accept(String.format("[%d/%d] %s: finished earlier, reused", i + 1, total, r.name()));
                reused++;
                continue;
            }
            out.accept(String.format("[%d/%d] %s%s", i + 1, total, r.name(),
                    r.overrides().isEmpty() ? "" : " (" + String.join(" ", r.overrides()) + ")"));
            BaselineStore.Base base = baselines.base(rc);
            RunFolder folder = RunFolder.open(dir, cfg.experiment() + "/" + r.name(), rowCfg, rc.seed(), projectRoot);
            folder.provenance().put("baseline_run", resultsRoot.relativize(base.dir()).toString());
            folder.provenance().addDataChecksums(base.data().files());
            folder.provenance().recordSeeds("baseline/", TrainRun.seeds(rc.baseline()).named());
            folder.provenance().recordSeed("bootstrap", rc.eval().bootstrapSeed(rc.seed()));
            folder.provenance().put("baseline_checkpoint_sha256", org.mtcompress.util.Hashing.sha256Hex(base.checkpoint()));
            if (!r.overrides().isEmpty()) {
                folder.provenance().put("grid_overrides", r.overrides());
            }
            long r0 = System.nanoTime();
            try {
                if (v == null) {
                    ctx.baseHyps.put(base.key(rc.eval()),
                            runner.runOriginal(rc, base.model(), base.data(), base.eval(rc), folder, r0));
                } else if (v.architectureVariant()) {
                    runner.runArchitectureVariant(rc, v, base.model(), base.data(), base.eval(rc), ctx.baseHyps(cfg, rc, base),
                            folder, r0);
                } else {
                    runner.runVariant(rc, v, base.model(), base.data(), base.eval(rc), ctx.baseHyps(cfg, rc, base), folder, r0);
                }
                folder.finish();
                finished++;
            } catch (RuntimeException | OutOfMemoryError e) {
                if (v == null) {
                    folder.fail(e);
                    throw e;
                }
                failed++;
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                out.accept("  " + r.name() + " failed: " + msg);
                TableRow row = TableRow.failed(r.name(), v.compressorName(), RunReport.describeScope(v),
                        (System.nanoTime() - r0) / 1e9, msg);
                folder.writeMetrics(Map.of("row", row, "error", msg));
                folder.fail(e);
            }
        }
        if (only != null) {
            out.accept(String.format("done in %.1f min: %s %s", (System.nanoTime() - t0) / 60e9, only,
                    failed > 0 ? "failed" : reused > 0 ? "was finished earlier" : "finished"));
            return new Outcome(null, finished, failed, reused, null);
        }
        Path tableDir = tableDir(cfg.experiment());
        Table table = ExperimentReport.write(runsDir(cfg.experiment()), tableDir,
                RunReport.header(loaded, ConfigLoader.of(cfg.baseline(), null), runsDir(cfg.experiment())));
        out.accept(String.format("done in %.1f min: %d rows computed, %d reused, %d failed; table in %s",
                (System.nanoTime() - t0) / 60e9, finished, reused, failed, tableDir));
        return new Outcome(table, finished, failed, reused, tableDir);
    }

    private static String shortHash(String hash) {
        return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
    }

    /** The table of the user's own runs of an experiment from their folders alone (what {@code mtc sweep collect} writes). */
    public static Table writeTable(Path resultsRoot, ConfigLoader.Loaded<ExperimentConfig> loaded) {
        ExperimentConfig cfg = loaded.value();
        Path runs = ResultsLayout.ownRuns(resultsRoot, cfg.experiment());
        return ExperimentReport.write(runs, runs, RunReport.header(loaded, ConfigLoader.of(cfg.baseline(), null), runs));
    }

    /** What rows of one invocation share: baselines by config hash, and the baseline's test hypotheses. */
    private final class Context {
        final Map<String, List<String>> baseHyps = new HashMap<>();

        /**
         * The uncompressed baseline's hypotheses that a variant's p-value is computed against: from this invocation,
         * else from the finished original row when it used the same baseline and evaluation, else decoded now.
         */
        List<String> baseHyps(ExperimentConfig cfg, ExperimentConfig rc, BaselineStore.Base base) {
            String key = base.key(rc.eval());
            List<String> hyps = baseHyps.get(key);
            if (hyps != null) {
                return hyps;
            }
            Path original = runsDir(cfg.experiment()).resolve(ORIGINAL);
            String want = ConfigLoader.of(new RowConfig(rc.baseline(), rc.eval(), null), null).hash();
            if (RunFolder.isFinished(original)
                    && want.equals(RunFolder.configHash(original))) {
                hyps = readLines(original.resolve(HYP_FILE));
            } else {
                out.accept("  decoding the uncompressed baseline " + base.hash().substring(0, 12) + " for the p-value");
                hyps = VariantRunner.translate(base.model().toModel(), base.data().vocab(), base.eval(rc), rc);
            }
            baseHyps.put(key, hyps);
            return hyps;
        }
    }

    private static List<String> readLines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
