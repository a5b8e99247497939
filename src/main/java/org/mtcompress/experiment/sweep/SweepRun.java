package org.mtcompress.experiment.sweep;

import java.util.List;

/**
 * One run of a sweep: its folder name (readable, filesystem-safe, unique within the sweep, derived from the
 * overrides that vary) and the full list of {@code key.path=value} overrides it applies to the experiment,
 * the sweep's fixed overrides first; for a row of an experiment file, also the config hash its finished run
 * folder must have to count as done (null for a sweep of a custom command, whose folders have no config hash).
 */
public record SweepRun(String name, List<String> overrides, String configHash) {
    public SweepRun {
        overrides = List.copyOf(overrides);
    }

    /** A run without an expected config hash. */
    public SweepRun(String name, List<String> overrides) {
        this(name, overrides, null);
    }
}
