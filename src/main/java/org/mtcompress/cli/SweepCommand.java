package org.mtcompress.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.experiment.ExperimentConfig;
import org.mtcompress.experiment.ExperimentRunner;
import org.mtcompress.experiment.ResultsLayout;
import org.mtcompress.experiment.sweep.LocalExecutor;
import org.mtcompress.experiment.sweep.RunCommand;
import org.mtcompress.experiment.sweep.SlurmClient;
import org.mtcompress.experiment.sweep.SlurmExecutor;
import org.mtcompress.experiment.sweep.SweepRun;
import org.mtcompress.experiment.sweep.SweepSpec;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.util.AtomicFiles;
import org.mtcompress.util.Json;
import org.mtcompress.util.MtcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/**
 * {@code mtc sweep}: expands the {@code grid:}/{@code zip:} of an experiment file into runs and executes them
 * locally or on Slurm. Each run is the command line of {@code sweep.command} (by default
 * {@code ./mtc run EXPERIMENT --only RUN}); a run is finished when its folder holds {@code sweep.done_file}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid of experiment variants locally or as Slurm array jobs.",
        subcommands = {SweepCommand.Plan.class, SweepCommand.Run.class, SweepCommand.Submit.class,
                SweepCommand.Status.class, SweepCommand.Resubmit.class, SweepCommand.Collect.class},
        footer = {"", "Examples:",
                "  mtc sweep plan experiments/ablation.yaml",
                "  mtc sweep run experiments/ablation.yaml --parallel 2",
                "  mtc sweep submit experiments/ablation.yaml --executor slurm --dry-run",
                "  mtc sweep submit experiments/ablation.yaml --executor slurm",
                "  mtc sweep status experiments/ablation.yaml",
                "  mtc sweep resubmit experiments/ablation.yaml --failed"})
public final class SweepCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The experiment file, its sweep and the folder of its runs, shared by the verbs. */
    abstract static class Base {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "experiment file with grid:/zip:/sweep:")
        Path file;

        @Option(names = "--results", description = "results folder of the experiment runner (default: results)")
        Path results = Path.of("results");

        SweepSpec sweep;
        /** The sweep's settings with {results} and the baseline command resolved. */
        SweepSpec.Settings settings;
        List<SweepRun> runs;
        Path workDir;
        Path runsDir;
        /** The original row of an experiment file (with its config hash); null for a sweep of a custom command. */
        SweepRun original;
        /** The experiment, when the file is one (it has experiment:); null for a sweep of a custom command. */
        ConfigLoader.Loaded<ExperimentConfig> experiment;

        /**
         * An experiment file sweeps its rows (listed variants and grid runs, each one {@code mtc run --only}) in
         * the runner's folders {@code <results>/runs/<experiment>/}, after the original row (the baseline job);
         * any other file sweeps {@code sweep.command} over its grid in {@code sweep.runs_dir}.
         */
        void load() {
            if (!Files.isRegularFile(file)) {
                throw new MtcException("no such experiment file: " + file);
            }
            sweep = SweepSpec.load(file);
            workDir = Path.of("").toAbsolutePath();
            Path res = workDir.resolve(results).normalize();
            if (ConfigLoader.hasTopLevelKey(file, "experiment")) {
                experiment = ExperimentConfig.load(file, List.of());
                List<ExperimentRunner.Row> rows = ExperimentRunner.rows(experiment);
                original = new SweepRun(ExperimentRunner.ORIGINAL, List.of(), rows.get(0).config().hash());
                // a row is done only when its finished folder has the row's config hash now
                runs = rows.stream().filter(r -> r.variant() != null)
                        .map(r -> new SweepRun(r.name(), r.overrides(), r.config().hash())).toList();
                runsDir = sweep.settings().runsDir() != null ? sweep.runsDir(workDir)
                        : ResultsLayout.ownRuns(res, experiment.value().experiment());
                List<String> originalCommand = sweep.settings().command().stream()
                        .map(a -> a.replace("{run}", ExperimentRunner.ORIGINAL)).toList();
                settings = sweep.settings().resolve(res, originalCommand);
            } else {
                runs = sweep.runs();
                runsDir = sweep.runsDir(workDir);
                settings = sweep.settings().resolve(res, List.of());
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        boolean done(SweepRun run) {
            return SweepSpec.isDone(runsDir, run, settings.doneFile());
        }

        SlurmExecutor slurm() {
            return new SlurmExecutor(workDir, runsDir, file, settings, new SlurmClient());
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "List the runs of the sweep and which are done.",
            footer = {"", "Example:", "  mtc sweep plan experiments/ablation.yaml"})
    static final class Plan extends Base implements Callable<Integer> {
        @Override
        public Integer call() {
            load();
            int done = 0;
            int width = runs.stream().mapToInt(r -> r.name().length()).max().orElse(4);
            out().printf("%-4s %-" + width + "s  %-7s  %s%n", "#", "run", "state", "overrides");
            if (experiment != null) {
                out().printf("%-4s %-" + width + "s  %-7s  %s%n", "-", original.name(), done(original) ? "done" : "pending",
                        "(the uncompressed baseline's row, run first)");
            }
            for (int i = 0; i < runs.size(); i++) {
                SweepRun r = runs.get(i);
                boolean d = done(r);
                done += d ? 1 : 0;
                out().printf("%-4d %-" + width + "s  %-7s  %s%n", i, r.name(), d ? "done" : "pending",
                        String.join(" ", r.overrides()));
            }
            out().printf("%d runs, %d done, %d pending, in %s%n", runs.size(), done, runs.size() - done, runsDir);
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the pending runs on this machine, N at a time; exit code 1 if any failed.",
            footer = {"", "Example:", "  mtc sweep run experiments/ablation.yaml --parallel 2"})
    static final class Run extends Base implements Callable<Integer> {
        @Option(names = "--parallel", defaultValue = "1", description = "runs at a time (default ${DEFAULT-VALUE})")
        int parallel;

        @Option(names = "--cores", description = "cores to share among the runs (default: all of this machine's)")
        Integer cores;

        @Override
        public Integer call() {
            load();
            if (parallel < 1) {
                throw new MtcException("--parallel must be at least 1, got " + parallel);
            }
            int c = cores != null ? cores : Runtime.getRuntime().availableProcessors();
            if (experiment != null && !settings.baselineCommand().isEmpty()) {
                // the original row trains the baseline every run compresses: alone, with all cores, before the others
                LocalExecutor first = new LocalExecutor(workDir, runsDir, file, new RunCommand(settings.baselineCommand()),
                        settings.doneFile(), 1, c, out()::println);
                LocalExecutor.Outcome o = first.run(List.of(original)).get(0);
                if (o.status() == LocalExecutor.Status.FAILED) {
                    out().println("failed: " + o.run() + " (" + o.message() + "); the other runs need it");
                    return 1;
                }
            }
            LocalExecutor ex = new LocalExecutor(workDir, runsDir, file, new RunCommand(settings.command()),
                    settings.doneFile(), parallel, c, out()::println);
            List<LocalExecutor.Outcome> outcomes = ex.run(runs);
            long failed = outcomes.stream().filter(o -> o.status() == LocalExecutor.Status.FAILED).count();
            long skipped = outcomes.stream().filter(o -> o.status() == LocalExecutor.Status.SKIPPED).count();
            out().printf("%d runs: %d done now, %d already done, %d failed%n", outcomes.size(),
                    outcomes.size() - failed - skipped, skipped, failed);
            outcomes.stream().filter(o -> o.status() == LocalExecutor.Status.FAILED)
                    .forEach(o -> out().println("failed: " + o.run() + " (" + o.message() + ")"));
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit the pending runs as one Slurm array job (after the baseline job, if any).",
            footer = {"", "Example:", "  mtc sweep submit experiments/ablation.yaml --executor slurm"})
    static final class Submit extends Base implements Callable<Integer> {
        @Option(names = "--executor", defaultValue = "slurm", description = "only 'slurm' (use 'mtc sweep run' for local runs)")
        String executor;

        @Option(names = "--dry-run", description = "only write the array script for the runs not done yet and print it")
        boolean dryRun;

        @Override
        public Integer call() {
            if (!executor.equals("slurm")) {
                throw new MtcException("unknown executor '" + executor + "'; known: slurm (for this machine use: mtc sweep run)");
            }
            load();
            if (dryRun) {
                Path script = slurm().preview(runs);
                if (script == null) {
                    out().println("every run is done");
                } else {
                    try {
                        out().print(Files.readString(script));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    out().println("# written to " + script + " (not submitted)");
                }
                return 0;
            }
            print(out(), slurm().submit(runs), slurm().stateFile());
            return 0;
        }
    }

    static void print(PrintWriter out, SlurmExecutor.SubmitResult r, Path stateFile) {
        if (r.arrayJobId() == null) {
            out.printf("nothing to submit: %d done, %d queued or running%n", r.alreadyDone().size(),
                    r.alreadyQueued().size());
            return;
        }
        if (r.baselineJobId() != null) {
            out.println("baseline job " + r.baselineJobId());
        }
        out.printf("array job %s: %d runs (%s)%n", r.arrayJobId(), r.submitted().size(), String.join(", ", r.submitted()));
        out.printf("%d already done, %d already queued; state in %s%n", r.alreadyDone().size(),
                r.alreadyQueued().size(), stateFile);
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Where each run stands (done files; squeue and sacct for submitted sweeps).",
            footer = {"", "Example:", "  mtc sweep status experiments/ablation.yaml"})
    static final class Status extends Base implements Callable<Integer> {
        @Override
        public Integer call() {
            load();
            SlurmExecutor slurm = slurm();
            Map<String, Integer> counts = new LinkedHashMap<>();
            if (Files.exists(slurm.stateFile())) {
                String[] b = slurm.baselineStatus();
                if (b != null) {
                    out().println("baseline job " + b[0] + ": " + b[1]);
                }
                for (SlurmExecutor.RunStatus s : slurm.status(runs)) {
                    out().printf("%-40s %-13s %s %s%n", s.run(), s.state(), s.taskId(), s.slurmState());
                    counts.merge(s.state().name(), 1, Integer::sum);
                }
            } else {
                for (SweepRun r : runs) {
                    String st = done(r) ? "DONE" : localState(r);
                    out().printf("%-40s %s%n", r.name(), st);
                    counts.merge(st, 1, Integer::sum);
                }
            }
            out().println(counts);
            return 0;
        }

        private String localState(SweepRun r) {
            Path f = runsDir.resolve(r.name()).resolve(LocalExecutor.STATUS);
            if (!Files.exists(f)) {
                return "NOT_STARTED";
            }
            Object st = Json.readFile(f, Map.class).get("status");
            return "FAILED".equals(st) ? "FAILED" : "NOT_FINISHED";
        }
    }

    @Command(name = "resubmit", mixinStandardHelpOptions = true,
            description = "Submit again only the runs whose Slurm task failed.",
            footer = {"", "Example:", "  mtc sweep resubmit experiments/ablation.yaml --failed"})
    static final class Resubmit extends Base implements Callable<Integer> {
        @Option(names = "--failed", required = true, description = "resubmit the failed runs (the only mode)")
        boolean failed;

        @Override
        public Integer call() {
            load();
            print(out(), slurm().resubmitFailed(runs), slurm().stateFile());
            return 0;
        }
    }

    @Command(name = "collect", mixinStandardHelpOptions = true,
            description = {"Experiment file: write the comparison table (table.csv, table.md) and charts to "
                    + "the runs folder <results>/runs/<experiment>/ from the run folders, as 'mtc run' does.",
                    "Other sweep files: gather the top-level values of every finished run's done file into "
                    + "<runs>/sweep-metrics.csv."},
            footer = {"", "Example:", "  mtc sweep collect experiments/ablation.yaml"})
    static final class Collect extends Base implements Callable<Integer> {
        @Override
        public Integer call() {
            load();
            if (experiment != null) {
                long done = runs.stream().filter(this::done).count();
                Path res = workDir.resolve(results).normalize();
                Table table = ExperimentRunner.writeTable(res, experiment);
                out().print(ComparisonTable.toMarkdown(table));
                out().printf("%d of %d runs finished; table and charts in %s%n", done, runs.size(),
                        ResultsLayout.ownRuns(res, experiment.value().experiment()));
                return 0;
            }
            List<Map<String, String>> rows = new ArrayList<>();
            TreeSet<String> columns = new TreeSet<>();
            for (SweepRun r : runs) {
                Path f = runsDir.resolve(r.name()).resolve(settings.doneFile());
                if (!Files.exists(f)) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("run", r.name());
                for (String o : r.overrides()) {
                    int eq = o.indexOf('=');
                    row.put(o.substring(0, eq), o.substring(eq + 1));
                }
                Map<?, ?> metrics;
                try {
                    metrics = Json.MAPPER.readValue(f.toFile(), Map.class);
                } catch (IOException e) {
                    throw new MtcException(f + ": not a JSON object: " + e.getMessage());
                }
                metrics.forEach((k, v) -> {
                    if (!(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
                        row.put(k.toString(), String.valueOf(v));
                    }
                });
                row.keySet().stream().filter(k -> !k.equals("run")).forEach(columns::add);
                rows.add(row);
            }
            StringBuilder csv = new StringBuilder("run");
            columns.forEach(c -> csv.append(',').append(csvField(c)));
            csv.append('\n');
            for (Map<String, String> row : rows) {
                csv.append(csvField(row.get("run")));
                columns.forEach(c -> csv.append(',').append(csvField(row.getOrDefault(c, ""))));
                csv.append('\n');
            }
            Path target = runsDir.resolve("sweep-metrics.csv");
            try {
                AtomicFiles.writeString(target, csv.toString());
            } catch (UncheckedIOException e) {
                throw new MtcException("cannot write " + target + ": " + e.getMessage(), e);
            }
            out().printf("%d of %d runs finished; wrote %s%n", rows.size(), runs.size(), target);
            return 0;
        }

        private static String csvField(String s) {
            return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }
    }
}
