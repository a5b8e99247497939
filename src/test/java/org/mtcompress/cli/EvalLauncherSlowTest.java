package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;

/**
 * {@code ./mtc eval} runs on the launcher's short class path (the project's classes, picocli and Jackson): every
 * metric, JSON output, both paired tests and sentence BLEU print exactly what the same command prints in process.
 */
@Tag("slow")
class EvalLauncherSlowTest {
    private static final Path ROOT = TestPaths.projectRoot();

    @TempDir
    Path tmp;

    @Test
    void everyEvalModeWorksOnTheLaunchersClassPath() throws Exception {
        List<String> refLines = Files.readAllLines(TestPaths.shared().resolve("wmt/newstest/newstest2014.de"))
                .subList(0, 300);
        List<String> h1 = new ArrayList<>();
        List<String> h2 = new ArrayList<>();
        for (String line : refLines) {
            h1.add(line.replace(" die ", " der "));
            h2.add(line.replace(" und ", " "));
        }
        String ref = Files.write(tmp.resolve("ref.de"), refLines).toString();
        String hyp1 = Files.write(tmp.resolve("h1.de"), h1).toString();
        String hyp2 = Files.write(tmp.resolve("h2.de"), h2).toString();
        List<List<String>> commands = List.of(
                List.of("eval", "--ref", ref, "--hyp", hyp1, "--hyp", hyp2, "--metrics", "bleu,chrf,chrf++", "--json"),
                List.of("eval", "--ref", ref, "--hyp", hyp1, "--hyp", hyp2, "--paired-bs", "--paired-bs-n", "50"),
                List.of("eval", "--ref", ref, "--hyp", hyp1, "--hyp", hyp2, "--paired-ar", "--paired-ar-n", "50",
                        "--tokenize", "intl", "--json"),
                List.of("eval", "--ref", ref, "--hyp", hyp1, "--sentence-level", "--lowercase"));
        for (List<String> args : commands) {
            CliTest.Result inProcess = CliTest.run(args.toArray(new String[0]));
            assertEquals(0, inProcess.code(), inProcess.err());
            String launched = launch(args);
            assertEquals(inProcess.out(), launched, String.join(" ", args));
        }
    }

    private String launch(List<String> args) throws Exception {
        for (String built : List.of("target/classes", "target/lib")) {
            assertTrue(Files.isDirectory(ROOT.resolve(built)), built + " is missing: this test runs after `mvn package`");
        }
        // the package phase has just built target/ from these sources: tell the launcher so it does not rebuild
        Files.writeString(ROOT.resolve("target/.mtc-build-stamp"), "");
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("mtc").toString()));
        cmd.addAll(args);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "./mtc eval did not finish");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), stderr);
        assertEquals("", stderr);
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
