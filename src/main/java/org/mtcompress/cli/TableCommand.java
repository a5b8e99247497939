package org.mtcompress.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mtcompress.experiment.ResultsLayout;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.report.ExperimentReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

/** {@code mtc table RUNS_DIR}: rebuild an experiment's comparison table and charts from its run folders alone. */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Rebuild the comparison table (table.csv, table.md) and charts from an experiment's run folders.",
        footer = {"", "Examples:", "  ./mtc table results/quickstart/runs            # the committed reference: writes results/quickstart/",
                "  ./mtc table results/runs/quickstart            # your own runs: writes the table beside them"})
public final class TableCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the experiment's run folders: results/<experiment>/runs or results/runs/<experiment>")
    Path runsDir;

    @Option(names = "--out", description = "output folder (default: results/<experiment>/ for results/<experiment>/runs, else RUNS_DIR itself)")
    Path out;

    @Override
    public Integer call() {
        Path abs = runsDir.toAbsolutePath().normalize();
        Path target = out != null ? out : ResultsLayout.tableDirOf(abs);
        Table t = ExperimentReport.write(abs, target, "# " + target.getFileName() + "\n\nRebuilt by `mtc table "
                + runsDir + "` from the run folders (each run's provenance.json says how it was produced).");
        System.out.print(ComparisonTable.toMarkdown(t));
        System.out.println("wrote " + target.resolve("table.csv") + ", table.md and charts");
        return 0;
    }
}
