package org.mtcompress.experiment.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of one run, from a template: {@code {experiment}}, {@code {run}} and {@code {run_dir}} are
 * replaced inside every argument, and an argument that is exactly {@code {overrides}} becomes one argument per
 * override. The same facts are also given to the process as environment variables ({@link #environment}).
 */
public record RunCommand(List<String> template) {
    public static final String OVERRIDES = "{overrides}";

    public RunCommand {
        template = List.copyOf(template);
        if (template.isEmpty()) {
            throw new IllegalArgumentException("a run command needs at least the program");
        }
    }

    public List<String> resolve(SweepRun run, Path runDir, Path experiment) {
        List<String> out = new ArrayList<>();
        for (String arg : template) {
            if (arg.equals(OVERRIDES)) {
                out.addAll(run.overrides());
            } else {
                out.add(arg.replace("{experiment}", experiment.toString())
                        .replace("{run_dir}", runDir.toString())
                        .replace("{run}", run.name()));
            }
        }
        return out;
    }

    /**
     * Variables for the run's process: {@code MTC_RUN_NAME}, {@code MTC_RUN_DIR}, {@code MTC_EXPERIMENT},
     * {@code MTC_OVERRIDES} (one per line), and the thread limits {@code OMP_NUM_THREADS},
     * {@code OPENBLAS_NUM_THREADS}, {@code MKL_NUM_THREADS}, {@code MTC_THREADS} = {@code threads}.
     */
    public static Map<String, String> environment(SweepRun run, Path runDir, Path experiment, int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MTC_RUN_NAME", run.name());
        env.put("MTC_RUN_DIR", runDir.toString());
        env.put("MTC_EXPERIMENT", experiment.toString());
        env.put("MTC_OVERRIDES", String.join("\n", run.overrides()));
        env.putAll(threadLimits(threads));
        return env;
    }

    /** The variables that cap the native thread pools (OpenMP, OpenBLAS, MKL) and mtcompress's own. */
    public static Map<String, String> threadLimits(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        String t = Integer.toString(threads);
        env.put("OMP_NUM_THREADS", t);
        env.put("OPENBLAS_NUM_THREADS", t);
        env.put("MKL_NUM_THREADS", t);
        env.put("MTC_THREADS", t);
        return env;
    }
}
