package org.mtcompress.cli;

import org.mtcompress.util.MtcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The {@code mtc} command. Each verb is one command class in this package, listed in {@link #VERBS}.
 * Bad input ({@link MtcException}) is printed as one line on stderr with its exit code; anything else is a bug
 * and keeps its stack trace.
 */
@Command(name = "mtc",
        mixinStandardHelpOptions = true,
        version = "mtcompress 0.1.0",
        description = "Compress Transformer translation models (WMT En-De): train, compress, retrain, evaluate, tabulate.",
        footer = {"", "Every verb has --help with an example; add --verbose to any command to see the libraries' own log lines.",
                "Start with:", "  ./mtc run experiments/quickstart.yaml", "  ./mtc config show FILE [key.path=value ...]"})
public final class Main implements Runnable {
    /**
     * The verbs. A command line that names one builds only that verb's command model: picocli reflects over every
     * registered command and its options up front, which costs a short verb such as {@code mtc eval} about half a
     * second when all of them are registered.
     */
    static final List<Class<?>> VERBS = List.of(
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
            EvalCommand.class);

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
        return newCommandLine(rest.length > 0 ? rest[0] : null).execute(rest);
    }

    /** The command line with every verb. */
    static CommandLine newCommandLine() {
        return newCommandLine(null);
    }

    /** The command line with only verb {@code verb} when it names one, else with every verb and {@code help}. */
    static CommandLine newCommandLine(String verb) {
        CommandLine cli = new CommandLine(new Main());
        List<Class<?>> one = VERBS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(verb)).toList();
        if (one.isEmpty()) {
            cli.addSubcommand(CommandLine.HelpCommand.class);
        }
        for (Class<?> c : one.isEmpty() ? VERBS : one) {
            cli.addSubcommand(c);
        }
        return configure(cli);
    }

    private static CommandLine configure(CommandLine cli) {
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
