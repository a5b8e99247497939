package org.mtcompress.experiment.sweep;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.util.MtcException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The sweep parts of an experiment file: {@code overrides:} (fixed {@code key.path: value} for every run),
 * {@code grid:} (key to list of values; nested maps are flattened to dotted keys), {@code zip:} (one map of
 * equally long lists, or a list of such groups) and {@code sweep:} (how runs are executed,
 * {@link Settings}). Other top-level keys belong to the experiment runner and are left alone here.
 */
public record SweepSpec(Path file, Map<String, Object> overrides, Map<String, List<Object>> grid,
                        List<Map<String, List<Object>>> zip, Settings settings) {

    /** Section {@code sweep:}: where run folders go and which command runs one run. */
    @Doc("how the runs of a sweep are executed")
    public record Settings(
            @Doc("folder holding one folder per run; absent: results/runs/<experiment file name>") @Default("~") String runsDir,
            @Doc("command line of one run; {experiment}, {run}, {run_dir}, {results} are replaced, \"{overrides}\" becomes one argument per override")
            @Default("[./mtc, run, '{experiment}', --only, '{run}', --results, '{results}']") List<String> command,
            @Doc("command line of the job that runs before all others (Slurm: the array depends on it); empty: none;"
                    + " absent: for an experiment file the original row (which trains the baseline), else none")
            @Default("~") List<String> baselineCommand,
            @Doc("a run is finished when its folder holds this file") @Default("metrics.json") String doneFile,
            @Doc("Slurm resources per run") @Default("{}") SlurmConfig slurm) {
        public Settings {
            command = List.copyOf(command);
            baselineCommand = baselineCommand == null ? null : List.copyOf(baselineCommand);
            if (command.isEmpty()) {
                throw new MtcException("sweep.command must not be empty");
            }
            if (doneFile.isBlank() || doneFile.contains("/")) {
                throw new MtcException("sweep.done_file must be a plain file name, got '" + doneFile + "'");
            }
        }

        public static Settings defaults() {
            return new Settings(null, DEFAULT_COMMAND, null, "metrics.json", SlurmConfig.defaults());
        }

        /** These settings with {@code {results}} replaced in both commands, and the baseline command decided. */
        public Settings resolve(Path results, List<String> defaultBaseline) {
            java.util.function.Function<List<String>, List<String>> sub = l -> l.stream()
                    .map(a -> a.replace("{results}", results.toString())).toList();
            return new Settings(runsDir, sub.apply(command),
                    sub.apply(baselineCommand == null ? defaultBaseline : baselineCommand), doneFile, slurm);
        }
    }

    /** {@code ./mtc run EXPERIMENT --only RUN --results RESULTS}: one row of the experiment runner. */
    public static final List<String> DEFAULT_COMMAND =
            List.of("./mtc", "run", "{experiment}", "--only", "{run}", "--results", "{results}");

    /**
     * Whether the run in {@code runDir} is finished: its done file is there and, when the folder is an experiment
     * runner's (it has {@code provenance.json}), the provenance says {@code finished} (a failed row also writes
     * {@code metrics.json}, with its error, and must run again) and, when {@code configHash} is given, was made
     * with that config hash (a row whose config changed since is not done).
     */
    public static boolean isDone(Path runDir, String doneFile, String configHash) {
        if (!Files.exists(runDir.resolve(doneFile))) {
            return false;
        }
        Path prov = runDir.resolve(PROVENANCE);
        if (!Files.exists(prov)) {
            return configHash == null;
        }
        return org.mtcompress.experiment.RunFolder.isFinished(runDir)
                && (configHash == null || configHash.equals(org.mtcompress.experiment.RunFolder.configHash(runDir)));
    }

    /** {@link #isDone(Path, String, String)} for {@code run}'s folder under {@code runsDir}, with its config hash. */
    public static boolean isDone(Path runsDir, SweepRun run, String doneFile) {
        return isDone(runsDir.resolve(run.name()), doneFile, run.configHash());
    }

    static final String PROVENANCE = "provenance.json";

    /** Whether the spec has a grid or zip (without one it still expands to the single run {@code base}). */
    public boolean hasAxes() {
        return !grid.isEmpty() || !zip.isEmpty();
    }

    private static final Set<String> SETTINGS_KEYS =
            Set.of("runs_dir", "command", "baseline_command", "done_file", "slurm");
    private static final Set<String> SLURM_KEYS =
            Set.of("partition", "time", "mem", "cpus_per_task", "gpus", "throttle", "extra");

    /** The runs this spec expands to, in order. */
    public List<SweepRun> runs() {
        return GridExpander.expand(overrides, grid, zip);
    }

    /** The folder of run folders, resolved against {@code workDir}. */
    public Path runsDir(Path workDir) {
        if (settings.runsDir() != null) {
            return workDir.resolve(settings.runsDir()).normalize();
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return workDir.resolve("results").resolve("runs").resolve(name).normalize();
    }

    /** Reads the sweep parts of {@code file}; errors name the file and the key. */
    public static SweepSpec load(Path file) {
        Object root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).load(r);
        } catch (MarkedYAMLException e) {
            throw new MtcException(file + ":" + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (IOException e) {
            throw new MtcException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null) {
            root = Map.of();
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new MtcException(file + ": expected a mapping at the top level");
        }
        String where = file.toString();
        Map<String, Object> overrides = new LinkedHashMap<>();
        Object o = top.get("overrides");
        if (o != null) {
            flatten(where, "overrides", "", map(where, "overrides", o), overrides, false);
        }
        Map<String, Object> gridFlat = new LinkedHashMap<>();
        Object g = top.get("grid");
        if (g != null) {
            flatten(where, "grid", "", map(where, "grid", g), gridFlat, true);
        }
        Map<String, List<Object>> grid = lists(gridFlat);
        List<Map<String, List<Object>>> zips = new ArrayList<>();
        Object z = top.get("zip");
        if (z instanceof List<?> groups) {
            for (int i = 0; i < groups.size(); i++) {
                Map<String, Object> flat = new LinkedHashMap<>();
                flatten(where, "zip[" + i + "]", "", map(where, "zip[" + i + "]", groups.get(i)), flat, true);
                zips.add(lists(flat));
            }
        } else if (z != null) {
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten(where, "zip", "", map(where, "zip", z), flat, true);
            zips.add(lists(flat));
        }
        Settings settings = settings(where, top.get("sweep"));
        SweepSpec spec = new SweepSpec(file, overrides, grid, zips, settings);
        try {
            spec.runs();
        } catch (MtcException e) {
            throw new MtcException(file + ": " + e.getMessage(), e);
        }
        return spec;
    }

    private static Settings settings(String where, Object node) {
        Settings d = Settings.defaults();
        if (node == null) {
            return d;
        }
        Map<String, Object> m = map(where, "sweep", node);
        strict(where, "sweep", m, SETTINGS_KEYS);
        SlurmConfig slurm = d.slurm();
        if (m.get("slurm") != null) {
            Map<String, Object> s = map(where, "sweep.slurm", m.get("slurm"));
            strict(where, "sweep.slurm", s, SLURM_KEYS);
            try {
                slurm = new SlurmConfig(string(where, "sweep.slurm.partition", s.get("partition")),
                        string(where, "sweep.slurm.time", s.get("time")),
                        string(where, "sweep.slurm.mem", s.get("mem")),
                        integer(where, "sweep.slurm.cpus_per_task", s.get("cpus_per_task"), 1),
                        integer(where, "sweep.slurm.gpus", s.get("gpus"), 0),
                        integer(where, "sweep.slurm.throttle", s.get("throttle"), 0),
                        strings(where, "sweep.slurm.extra", s.get("extra"), List.of()));
            } catch (IllegalArgumentException e) {
                throw new MtcException(where + ": " + e.getMessage(), e);
            }
        }
        String runsDir = string(where, "sweep.runs_dir", m.get("runs_dir"));
        String done = string(where, "sweep.done_file", m.get("done_file"));
        try {
            return new Settings(runsDir, strings(where, "sweep.command", m.get("command"), d.command()),
                    strings(where, "sweep.baseline_command", m.get("baseline_command"), null),
                    done == null ? d.doneFile() : done, slurm);
        } catch (MtcException e) {
            throw new MtcException(where + ": " + e.getMessage(), e);
        }
    }

    private static void strict(String where, String section, Map<String, Object> m, Set<String> allowed) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new MtcException(where + ": unknown key '" + section + "." + k + "'; allowed: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String where, String key, Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new MtcException(where + ": '" + key + "' must be a mapping");
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new MtcException(where + ": '" + key + "' has a key that is not text: " + k);
            }
        }
        return (Map<String, Object>) m;
    }

    /** Nested maps become dotted keys; with {@code leavesAreLists}, every leaf must be a list of values. */
    private static void flatten(String where, String section, String prefix, Map<String, Object> m,
                                Map<String, Object> out, boolean leavesAreLists) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?>) {
                flatten(where, section, key, map(where, section + "." + key, v), out, leavesAreLists);
            } else if (leavesAreLists && !(v instanceof List<?>)) {
                throw new MtcException(where + ": '" + section + "." + key + "' must be a list of values, got "
                        + GridExpander.formatValue(v));
            } else if (out.put(key, v) != null) {
                throw new MtcException(where + ": '" + section + "." + key + "' is given twice");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> lists(Map<String, Object> flat) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        flat.forEach((k, v) -> out.put(k, (List<Object>) v));
        return out;
    }

    private static String string(String where, String key, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw new MtcException(where + ": '" + key + "' must be a single value");
        }
        return v.toString();
    }

    private static int integer(String where, String key, Object v, int dflt) {
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer i)) {
            throw new MtcException(where + ": '" + key + "' must be a whole number, got " + v);
        }
        return i;
    }

    private static List<String> strings(String where, String key, Object v, List<String> dflt) {
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof List<?> list)) {
            throw new MtcException(where + ": '" + key + "' must be a list");
        }
        List<String> out = new ArrayList<>();
        for (Object x : list) {
            out.add(string(where, key, x));
        }
        return out;
    }
}
