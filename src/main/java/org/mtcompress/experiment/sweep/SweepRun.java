package org.mtcompress.experiment.sweep;

import java.util.List;

/**
 * One run of a sweep: its folder name (readable, filesystem-safe, unique within the sweep, derived from the
 * overrides that vary) and the full list of {@code key.path=value} overrides it applies to the experiment,
 * the sweep's fixed overrides first.
 */
public record SweepRun(String name, List<String> overrides) {
    public SweepRun {
        overrides = List.copyOf(overrides);
    }
}
