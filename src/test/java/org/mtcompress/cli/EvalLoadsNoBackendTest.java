package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtc eval} loads no deep-learning backend: a child JVM scores two files with class loading logged, and no
 * ND4J, JavaCPP or DL4J class may appear. Also: {@code mtc data --help} and {@code mtc config --help} show examples.
 */
class EvalLoadsNoBackendTest {
    @TempDir
    Path tmp;

    @Test
    void evalLoadsNoNd4jClass() throws Exception {
        Path ref = Files.writeString(tmp.resolve("ref.de"), "Ein Hund läuft im Park .\nDie Katze schläft .\n");
        Path hyp = Files.writeString(tmp.resolve("hyp.de"), "Ein Hund rennt im Park .\nDie Katze schläft .\n");
        Path log = tmp.resolve("classes.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
                "-cp", System.getProperty("java.class.path"), "org.mtcompress.cli.Main",
                "eval", "--ref", ref.toString(), "--hyp", hyp.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "eval did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("BLEU"), out);
        assertTrue(out.contains("org.mtcompress.eval.Bleu "), "class loading was not logged");
        List<String> backend = out.lines().filter(l -> l.contains("org.nd4j.") || l.contains("org.bytedeco.")
                || l.contains("org.deeplearning4j.")).toList();
        assertEquals(List.of(), backend, "mtc eval loaded deep-learning classes");
    }

    @Test
    void dataAndConfigHelpShowExamples() {
        for (String verb : List.of("data", "config")) {
            CliTest.Result o = CliTest.run(verb, "--help");
            assertTrue(o.out().contains("Example") && o.out().contains("./mtc " + verb + " "), o.out());
        }
    }
}
