package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mtc eval} starts fast: scoring loads no deep-learning backend. Checked in a child JVM (the test JVM may have
 * loaded ND4J for other tests) that lists every class it loads.
 */
class EvalStartupTest {
    @TempDir
    Path dir;

    @Test
    void evalLoadsNoNd4jOrJavaCppClass() throws IOException, InterruptedException {
        Path ref = Files.writeString(dir.resolve("ref.de"), "Ein Mann fährt Fahrrad .\nZwei Hunde spielen im Schnee .\n");
        Path hyp = Files.writeString(dir.resolve("hyp.de"), "Ein Mann fährt ein Rad .\nZwei Hunde spielen im Schnee .\n");
        Path log = dir.resolve("classes.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "eval", "--ref", ref.toString(), "--hyp", hyp.toString(), "--metrics", "bleu,chrf")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mtc eval did not finish");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        assertTrue(lines.stream().anyMatch(l -> l.contains("BLEU") && l.contains("nrefs:1")), "no BLEU row printed");
        assertTrue(lines.stream().anyMatch(l -> l.contains("chrF2")), "no chrF row printed");
        assertTrue(lines.stream().anyMatch(l -> l.contains("org.mtcompress.eval.Bleu ")), "the class list is missing");
        List<String> backend = lines.stream().filter(l -> l.contains("[class,load]"))
                .filter(l -> l.contains(" org.nd4j.") || l.contains(" org.bytedeco.") || l.contains(" org.deeplearning4j."))
                .toList();
        assertTrue(backend.isEmpty(), "mtc eval loaded deep-learning classes: " + backend);
    }
}
