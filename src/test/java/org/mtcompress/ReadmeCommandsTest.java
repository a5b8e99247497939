package org.mtcompress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's two commands are the ones the project runs: its test command is exactly what CI ({@code .ci/run})
 * runs, and its first command is the quickstart experiment's own.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = TestPaths.projectRoot();

    /** The commands of the README's first code block, comments dropped. */
    static List<String> readmeCommands() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```bash\n");
        assertTrue(start >= 0, "README.md has no ```bash block");
        int end = readme.indexOf("```", start + 8);
        return readme.substring(start + 8, end).lines().map(l -> l.replaceFirst("\\s+#.*$", "").strip())
                .filter(l -> !l.isEmpty()).toList();
    }

    /** The command {@code .ci/run} runs: its last line that is not a comment, without {@code exec}. */
    static String ciCommand() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve(".ci/run")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        return lines.get(lines.size() - 1).replaceFirst("^exec\\s+", "");
    }

    @Test
    void ciRunsExactlyTheReadmesTestCommand() throws Exception {
        List<String> commands = readmeCommands();
        assertEquals(2, commands.size(), "the README opens with two commands: " + commands);
        assertEquals(ciCommand(), commands.get(1));
        Path script = ROOT.resolve(commands.get(1));
        assertTrue(Files.isExecutable(script), script + " must be an executable script");
        List<String> body = Files.readAllLines(script).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("mvn -B verify \"$@\"", body.get(body.size() - 1), "the test script ends by running every test");
        String text = Files.readString(script);
        assertTrue(text.contains("scripts/slurm/start.sh") && text.contains("jupyter-nbconvert")
                && text.contains("sentencepiece"), "the test script sets up Slurm, Jupyter and sentencepiece");
    }

    @Test
    void theFirstCommandIsTheQuickstartsOwn() throws Exception {
        String first = readmeCommands().get(0);
        assertEquals("./mtc run experiments/quickstart.yaml", first);
        String header = Files.readString(ROOT.resolve("experiments/quickstart.yaml"));
        assertTrue(header.lines().anyMatch(l -> l.startsWith("#") && l.contains("Command:") && l.endsWith(first)),
                "experiments/quickstart.yaml's header names another command than the README");
    }
}
