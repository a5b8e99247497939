package org.mtcompress.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mtcompress.report.ComparisonTable;
import org.mtcompress.report.ExperimentReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

/** {@code mtc table RUNS_DIR}: rebuild an experiment's comparison table and charts from its run folders alone. */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Rebuild the comparison table (table.csv, table.md) and charts from an experiment's run folders.",
        footer = {"", "Example:", "  ./mtc table results/runs/quickstart            # writes results/quickstart/"})
public final class TableCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "the experiment's run folders, results/runs/<experiment>")
    Path runsDir;

    @Option(names = "--out", description = "output folder (default: results/<experiment>)")
    Path out;

    @Override
    public Integer call() {
        Path abs = runsDir.toAbsolutePath().normalize();
        Path target = out != null ? out : abs.getParent().getParent().resolve(abs.getFileName());
        Table t = ExperimentReport.write(abs, target, "# " + abs.getFileName() + "\n\nRebuilt by `mtc table "
                + runsDir + "` from the run folders (each run's provenance.json says how it was produced).");
        System.out.print(ComparisonTable.toMarkdown(t));
        System.out.println("wrote " + target.resolve("table.csv") + ", table.md and charts");
        return 0;
    }
}
