package org.mtcompress.cli;

import org.mtcompress.util.MtcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mtc} command. Each verb is one command class in this package, listed in {@code subcommands}.
 * Bad input ({@link MtcException}) is printed as one line on stderr with its exit code; anything else is a bug
 * and keeps its stack trace.
 */
@Command(name = "mtc",
        mixinStandardHelpOptions = true,
        version = "mtcompress 0.1.0",
        description = "Compress Transformer translation models (WMT En-De): train, compress, retrain, evaluate, tabulate.",
        footer = {"", "Every verb has --help with an example; add --verbose to any command to see the libraries' own log lines.",
                "Start with:", "  ./mtc run experiments/quickstart.yaml", "  ./mtc config show FILE [key.path=value ...]"},
        subcommands = {
                CommandLine.HelpCommand.class,
                ConfigCommand.class,
                DataCommand.class,
                EnvCommand.class,
                TableCommand.class,
                SweepCommand.class,
                TrainCommand.class,
                ModelCommand.class,
                TranslateCommand.class,
                CompressCommand.class,
                CompressEmbeddingsCommand.class,
                BenchCommand.class,
                RunCommand.class,
                EvalCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        String[] rest = LibraryLogs.configure(args);
        CommandLine cli = newCommandLine();
        return cli.execute(rest);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof MtcException)) {
                t = t.getCause();
            }
            if (t instanceof MtcException user) {
                commandLine.getErr().println("mtc: error: " + user.getMessage());
                return user.exitCode();
            }
            throw ex;
        });
        return cli;
    }
}
