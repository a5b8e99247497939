package org.mtcompress.experiment;

import java.nio.file.Path;
import org.mtcompress.util.MtcException;

/**
 * Where an experiment's results live under a results folder (default {@code results/}). Two places, kept apart so
 * that a committed reference is never taken for the user's own run:
 * <ul>
 *   <li>the user's own runs, {@code <results>/runs/<experiment>/}: one folder per row (resumable; finished rows
 *       are never recomputed) and, beside them, the table and charts; git-ignored with the rest of
 *       {@code <results>/runs/}, which also holds the trained baselines ({@code runs/baselines/<hash>/});</li>
 *   <li>a committed reference, {@code <results>/<experiment>/}: the table and charts, and its rows' run folders
 *       under {@code runs/}.</li>
 * </ul>
 */
public final class ResultsLayout {
    /** The folder under a results folder that holds the user's own runs and the trained baselines. */
    public static final String OWN = "runs";

    private ResultsLayout() {
    }

    /** The folder of the user's own rows of {@code experiment}; the table and charts go there too. */
    public static Path ownRuns(Path results, String experiment) {
        checkExperiment(experiment);
        return results.resolve(OWN).resolve(experiment);
    }

    /** The committed reference of {@code experiment}: table and charts. */
    public static Path referenceTable(Path results, String experiment) {
        checkExperiment(experiment);
        return results.resolve(experiment);
    }

    /** The committed reference's run folders. */
    public static Path referenceRuns(Path results, String experiment) {
        return referenceTable(results, experiment).resolve("runs");
    }

    /** Where trained baselines are kept, by config hash (shared by both layouts). */
    public static Path baselines(Path results) {
        return results.resolve(OWN).resolve(ExperimentRunner.BASELINES);
    }

    /**
     * The folder a table of the run folders in {@code runsDir} belongs in: a reference's {@code <experiment>/runs}
     * has its table one level up, the user's {@code runs/<experiment>} holds its own.
     */
    public static Path tableDirOf(Path runsDir) {
        Path abs = runsDir.toAbsolutePath().normalize();
        return "runs".equals(String.valueOf(abs.getFileName())) ? abs.getParent() : abs;
    }

    /** The folder of row {@code row} under {@code runsDir}, its name checked to be usable as a folder name. */
    public static Path row(Path runsDir, String row) {
        RunFolder.checkName("run", row);
        return runsDir.resolve(row);
    }

    private static void checkExperiment(String experiment) {
        RunFolder.checkName("experiment", experiment);
        if (experiment.equals(OWN) || experiment.equals(ExperimentRunner.BASELINES)) {
            throw new MtcException("experiment name '" + experiment + "' is reserved (results/runs/ holds your runs "
                    + "and results/runs/baselines/ the trained baselines); choose another name");
        }
    }
}
