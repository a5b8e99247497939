package org.mtcompress.experiment.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.config.ConfigNode;
import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;
import org.mtcompress.util.MtcException;

/**
 * The sweep parts of an experiment file: {@code overrides:} (fixed {@code key.path: value} for every run),
 * {@code grid:} (key to list of values; nested maps are flattened to dotted keys), {@code zip:} (one map of
 * equally long lists, or a list of such groups) and {@code sweep:} (how runs are executed,
 * {@link Settings}), bound by the one strict config loader ({@link Sections}). In an experiment file (one with
 * {@code experiment:}) the other top-level keys belong to the experiment and its own loader checks them; any
 * other file holds only these sections.
 */
public record SweepSpec(Path file, Map<String, Object> overrides, Map<String, List<Object>> grid,
                        List<Map<String, List<Object>>> zip, Settings settings) {

    /**
     * The sweep sections as the loader binds them. {@code overrides:}, {@code grid:} and {@code zip:} name keys of
     * the config they sweep (any key path), so they stay YAML nodes with their lines and are read by
     * {@link #load}; {@code sweep:} is a record like every other section.
     */
    @Doc("the sweep sections of an experiment file, or of a sweep of any command")
    public record Sections(
            @Doc("fixed key.path: value for every run (nested mappings are dotted keys)") @Default("{}") ConfigNode overrides,
            @Doc("key.path: [values, ...]: one axis per key, the runs are the cartesian product (first key slowest)")
            @Default("{}") ConfigNode grid,
            @Doc("keys whose equally long lists are walked together (one axis), or a list of such groups")
            @Default("~") ConfigNode zip,
            @Doc("how the runs are executed") @Default("{}") Settings sweep) {
    }

    /** The top-level keys of {@link Sections}: an experiment file leaves them to the sweep. */
    public static final Set<String> SECTIONS = Set.of("overrides", "grid", "zip", "sweep");

    /** Section {@code sweep:}: where run folders go and which command runs one run. */
    @Doc("how the runs of a sweep are executed")
    public record Settings(
            @Doc("folder holding one folder per run; absent: results/runs/<experiment file name>") @Default("~") String runsDir,
            @Doc("command line of one run; {experiment}, {run}, {run_dir}, {results} are replaced, \"{overrides}\" becomes one argument per override")
            @Default("[./mtc, run, '{experiment}', --only, '{run}', --results, '{results}']") @Range(min = 1) List<String> command,
            @Doc("command line of the job that runs before all others (Slurm: the array depends on it); empty: none;"
                    + " absent: for an experiment file the original row (which trains the baseline), else none")
            @Default("~") List<String> baselineCommand,
            @Doc("a run is finished when its folder holds this file") @Default("metrics.json") String doneFile,
            @Doc("Slurm resources per run") @Default("{}") SlurmConfig slurm) {
        public Settings {
            command = List.copyOf(command);
            baselineCommand = baselineCommand == null ? null : List.copyOf(baselineCommand);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("key 'command' must not be empty");
            }
            if (doneFile.isBlank() || doneFile.contains("/")) {
                throw new IllegalArgumentException("key 'done_file' must be a plain file name, got '" + doneFile + "'");
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

    /**
     * Reads the sweep sections of {@code file} through the strict config loader; every error is one line naming
     * the file, the line and the key.
     */
    public static SweepSpec load(Path file) {
        boolean experiment = ConfigLoader.hasTopLevelKey(file, "experiment");
        Sections s = ConfigLoader.loadSections(file, Sections.class, experiment ? SECTIONS : null).value();
        Map<String, Object> overrides = new LinkedHashMap<>();
        flatten("overrides", s.overrides(), overrides, false);
        Map<String, Object> gridFlat = new LinkedHashMap<>();
        flatten("grid", s.grid(), gridFlat, true);
        List<Map<String, List<Object>>> zips = new ArrayList<>();
        if (s.zip() instanceof ConfigNode.Sequence groups) {
            for (int i = 0; i < groups.items().size(); i++) {
                Map<String, Object> flat = new LinkedHashMap<>();
                flatten("zip[" + i + "]", groups.items().get(i), flat, true);
                zips.add(lists(flat));
            }
        } else if (s.zip() != null) {
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten("zip", s.zip(), flat, true);
            zips.add(lists(flat));
        }
        SweepSpec spec = new SweepSpec(file, overrides, lists(gridFlat), zips, s.sweep());
        try {
            spec.runs();
        } catch (ConfigException e) {
            throw e;
        } catch (MtcException e) {
            ConfigNode where = s.zip() != null && e.getMessage().startsWith("zip") ? s.zip()
                    : s.grid() != null ? s.grid() : s.overrides();
            throw new ConfigException(where.source(), e.getMessage());
        }
        return spec;
    }

    /**
     * The section {@code node} with nested mappings as dotted keys; with {@code leavesAreLists}, every leaf must be
     * a list of values. Values become plain Java values typed as YAML typed them.
     */
    private static void flatten(String section, ConfigNode node, Map<String, Object> out, boolean leavesAreLists) {
        if (node == null) {
            return;
        }
        if (!(node instanceof ConfigNode.Mapping m)) {
            throw new ConfigException(node.source(), "key '" + section + "': expected a mapping of key paths");
        }
        flatten(section, "", m, out, leavesAreLists);
    }

    private static void flatten(String section, String prefix, ConfigNode.Mapping m, Map<String, Object> out,
                                boolean leavesAreLists) {
        for (ConfigNode.Entry e : m.entries().values()) {
            String key = prefix.isEmpty() ? e.key() : prefix + "." + e.key();
            ConfigNode v = e.value();
            if (v instanceof ConfigNode.Mapping inner) {
                flatten(section, key, inner, out, leavesAreLists);
            } else if (leavesAreLists && !(v instanceof ConfigNode.Sequence)) {
                throw new ConfigException(e.keySource(), "key '" + section + "." + key + "' must be a list of values, got "
                        + GridExpander.formatValue(ConfigLoader.toPlain(v)));
            } else if (out.put(key, ConfigLoader.toPlain(v)) != null) {
                throw new ConfigException(e.keySource(), "key '" + section + "." + key + "' is given twice");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> lists(Map<String, Object> flat) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        flat.forEach((k, v) -> out.put(k, (List<Object>) v));
        return out;
    }
}
