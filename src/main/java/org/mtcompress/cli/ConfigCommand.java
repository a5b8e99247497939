package org.mtcompress.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mtcompress.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mtc config show FILE [k=v ...]}: the resolved config and its hash. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Inspect configs.",
        subcommands = {ConfigCommand.Show.class},
        footer = {"", "Example:", "  ./mtc config show experiments/quickstart.yaml train.max_minutes=2"})
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the resolved config (extends merged, overrides applied, defaults filled in) and its hash.",
            footer = {"", "Example:", "  ./mtc config show configs/model/tiny.yaml seed=7 data.vocab_size=4000"})
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", description = "the config file (YAML)")
        Path file;

        @Parameters(index = "1..*", description = "overrides key.path=value", arity = "0..*")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--kind", description = "config kind: ${COMPLETION-CANDIDATES} (default: guessed from the file)")
        ConfigKind kind;

        @Override
        public Integer call() {
            ConfigKind k = kind == null ? ConfigKind.guess(file) : kind;
            // an experiment file's grid:/zip:/overrides:/sweep: belong to the sweep (mtc sweep plan shows them)
            ConfigLoader.Loaded<?> loaded = k == ConfigKind.EXPERIMENT
                    ? org.mtcompress.experiment.ExperimentConfig.load(file, overrides)
                    : ConfigLoader.load(file, overrides, k.type());
            System.out.print(loaded.toYaml());
            System.out.println("# kind: " + k.name().toLowerCase(java.util.Locale.ROOT));
            System.out.println("# hash: " + loaded.hash());
            return 0;
        }
    }
}
