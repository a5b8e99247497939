package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's contract: verbs listed, help with examples, bad input as one line with exit code 2. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        CommandLine cli = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        try {
            int code = cli.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    void helpListsTheVerbs() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("config") && r.out().contains("env"), r.out());
    }

    @Test
    void aCommandLineThatNamesAVerbBuildsOnlyThatVerb() {
        assertEquals(java.util.Set.of("eval"), Main.newCommandLine("eval").getSubcommands().keySet());
        assertEquals(Main.VERBS.size() + 1, Main.newCommandLine("help").getSubcommands().size());
        assertEquals(Main.VERBS.size() + 1, Main.newCommandLine("evl").getSubcommands().size());
        assertEquals(Main.VERBS.size() + 1, Main.newCommandLine().getSubcommands().size());
    }

    @Test
    void everyVerbHasHelpWithAnExample() {
        CommandLine cli = Main.newCommandLine();
        for (var e : cli.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            assertHelpHasExample(e.getKey(), e.getValue());
        }
    }

    private static void assertHelpHasExample(String name, CommandLine sub) {
        if (sub.getSubcommands().isEmpty()) {
            String usage = sub.getUsageMessage();
            assertTrue(usage.contains("Example"), name + " --help has no example:\n" + usage);
        }
        for (var e : sub.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help")) {
                assertHelpHasExample(name + " " + e.getKey(), e.getValue());
            }
        }
    }

    @Test
    void configShowPrintsResolvedConfigAndHash() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "experiment: demo\ndata:\n  vocab_size: 4000\n");
        Result r = run("config", "show", f.toString(), "seed=9");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vocab_size: 4000") && r.out().contains("seed: 9"), r.out());
        assertTrue(r.out().matches("(?s).*# hash: [0-9a-f]{64}.*"), r.out());
    }

    @Test
    void badConfigIsOneLineAndExitCode2() throws Exception {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "experiment: demo\ndata:\n  vocab_sise: 4000\n");
        Result r = run("config", "show", f.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(":3: unknown key 'data.vocab_sise'"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void missingConfigFileIsACleanError() {
        Result r = run("config", "show", dir.resolve("nope.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.yaml") && r.err().contains("file not found"), r.err());
    }
}
