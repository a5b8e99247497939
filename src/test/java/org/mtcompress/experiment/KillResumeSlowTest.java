package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.model.Checkpoint;
import org.mtcompress.util.Hashing;
import org.mtcompress.util.Json;

/**
 * Kill anywhere, lose nothing, same numbers: a tiny two-variant experiment (bounded by steps, two threads) is run
 * once without interruption, and once as a real {@code mtc run} process (a child JVM) that is killed with SIGKILL
 * at random moments during baseline training, the original row's evaluation, the variants' compression and
 * retraining, and the table writing, then started again each time. After every kill no run folder is
 * half-written; in the end the table equals the uninterrupted run's row by row, and the provenance records the
 * interrupted attempts, the derived seeds and the data files' sha256.
 */
@Tag("slow")
class KillResumeSlowTest {
    /** Threads of every child process: ND4J's results are only reproducible for a fixed thread count. */
    private static final String THREADS = "2";
    private static final int MIN_KILLS = 5;

    @TempDir
    Path tmp;

    private Path mirror() {
        return TestPaths.shared().resolve("multi30k");
    }

    private Path writeExperiment() throws IOException {
        Path tiny = TestPaths.projectRoot().resolve("configs/model/tiny.yaml");
        String yaml = "extends: " + tiny + "\n"
                + "experiment: killtest\n"
                + "seed: 7\n"
                + "data: {dataset: multi30k, vocab_size: 1000, mirrors: [" + mirror() + "]}\n"
                + "model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.1}\n"
                + "train: {lr: 0.003, warmup_steps: 10, max_steps: 40, token_budget: 1200, validate_every: 10,\n"
                + "        validation_bleu: false, patience: 0, beam: 1}\n"
                + "eval: {beam: 1, max_sentences: 30, bootstrap: 100}\n"
                + "variants:\n"
                + "  - name: kmeans2\n"
                + "    compressor: {name: kmeans, bits: 2, scope: {preset: all}}\n"
                + "    retrain: {steps: 8}\n"
                + "  - name: prune50\n"
                + "    compressor: {name: prune, scope: {preset: all}, pruning: {start: 0.5, end: 0.5, rounds: 0}}\n"
                + "    retrain: {steps: 8}\n";
        Path f = tmp.resolve("killtest.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** A child {@code mtc run} with a fixed thread count; its output lines go to {@code lines} and {@code log}. */
    private Process start(Path exp, Path results, Path log, List<String> lines) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), "org.mtcompress.cli.Main",
                "run", exp.toString(), "--results", results.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", THREADS);
        pb.environment().put("OPENBLAS_NUM_THREADS", THREADS);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** One kill: wait for a line containing one of {@code markers}, then {@code minMs..maxMs} more, then SIGKILL. */
    private record KillPoint(String phase, List<String> markers, int minMs, int maxMs) {
        boolean seen(List<String> lines) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> markers.stream().anyMatch(l::contains));
            }
        }
    }

    @Test
    void killedAtRandomPointsTheExperimentEndsWithTheUninterruptedTable() throws Exception {
        Path exp = writeExperiment();

        // the reference: one uninterrupted process
        Path refResults = tmp.resolve("reference");
        List<String> refLines = Collections.synchronizedList(new ArrayList<>());
        Process ref = start(exp, refResults, tmp.resolve("reference.log"), refLines);
        assertTrue(ref.waitFor(10, TimeUnit.MINUTES), "reference run did not end");
        assertEquals(0, ref.exitValue(), "reference run failed:\n" + String.join("\n", refLines));

        // the same experiment, killed again and again
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        System.out.println("KillResumeSlowTest: random seed " + seed);
        Path results = tmp.resolve("killed");
        List<KillPoint> plan = List.of(
                new KillPoint("baseline training", List.of(": training"), 1000, 4000),
                new KillPoint("baseline training, at its first checkpoint", List.of("step 10: valid"), 0, 2000),
                new KillPoint("baseline training, resumed from a checkpoint", List.of("resumed at step"), 1000, 5000),
                new KillPoint("evaluation of the original", List.of("stopped: ", "trained earlier"), 200, 1500),
                new KillPoint("compression and retraining", List.of("[2/3] kmeans2"), 200, 2500),
                new KillPoint("retraining and evaluation", List.of("[3/3] prune50"), 200, 2500),
                new KillPoint("table writing", List.of("prune50: BLEU"), 0, 200));
        int kills = 0;
        List<String> survived = new ArrayList<>();
        boolean resumedMidway = false;
        for (int i = 0; i < plan.size(); i++) {
            KillPoint k = plan.get(i);
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Process p = start(exp, results, tmp.resolve("attempt-" + i + ".log"), lines);
            long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
            while (p.isAlive() && System.currentTimeMillis() < deadline && !k.seen(lines)) {
                Thread.sleep(20);
            }
            Thread.sleep(k.minMs() + rnd.nextInt(k.maxMs() - k.minMs() + 1));
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                kills++;
                survived.add(k.phase() + " (after: " + (lines.isEmpty() ? "-" : lines.get(lines.size() - 1).trim()) + ")");
            }
            p.waitFor();
            synchronized (lines) {
                resumedMidway |= lines.stream().anyMatch(l -> l.matches(".*resumed at step [1-9].*"));
            }
            assertNoHalfWrittenRunFolder(results);
        }
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Process last = start(exp, results, tmp.resolve("final.log"), lines);
        assertTrue(last.waitFor(10, TimeUnit.MINUTES), "final run did not end");
        assertEquals(0, last.exitValue(), "final run failed:\n" + String.join("\n", lines));
        System.out.println("KillResumeSlowTest: survived " + kills + " kills (SIGKILL): " + String.join("; ", survived));
        assertTrue(resumedMidway, "no attempt resumed the baseline from a checkpoint");
        assertTrue(kills >= MIN_KILLS, "only " + kills + " kills hit a live process: " + survived);
        assertNoHalfWrittenRunFolder(results);

        // same numbers: the whole table but the wall times, row by row
        List<String> want = tableRows(refResults);
        List<String> got = tableRows(results);
        assertEquals(3, want.size(), String.join("\n", want));
        assertEquals(want, got);

        // provenance that holds
        Path runs = findDir(results, "original").getParent();
        for (String row : List.of("original", "kmeans2", "prune50")) {
            Map<?, ?> prov = Json.readFile(runs.resolve(row).resolve(RunFolder.PROVENANCE), Map.class);
            assertEquals("finished", prov.get("status"), row);
            assertFalse(prov.containsKey("error"), row + ": " + prov.get("error"));
            List<?> attempts = (List<?>) prov.get("attempts");
            Map<?, ?> lastAttempt = (Map<?, ?>) attempts.get(attempts.size() - 1);
            assertEquals("finished", lastAttempt.get("status"), row);
            for (Object a : attempts.subList(0, attempts.size() - 1)) {
                assertEquals("interrupted", ((Map<?, ?>) a).get("status"), row + ": " + attempts);
            }
            Map<?, ?> seeds = (Map<?, ?>) prov.get("seeds");
            assertEquals(org.mtcompress.util.Seeds.derive(7, "init"), ((Number) seeds.get("baseline/init")).longValue());
            assertChecksumsAreTheMirrorFiles((Map<?, ?>) prov.get("data_checksums"));
        }
        Map<?, ?> kmeans = (Map<?, ?>) Json.readFile(runs.resolve("kmeans2").resolve(RunFolder.PROVENANCE), Map.class).get("seeds");
        assertTrue(kmeans.containsKey("retrain:kmeans2/dropout"), kmeans.toString());
        Path baseline = findDir(results, ExperimentRunner.BASELINES);
        try (Stream<Path> s = Files.list(baseline)) {
            Path b = s.filter(Files::isDirectory).findFirst().orElseThrow();
            Map<?, ?> prov = Json.readFile(b.resolve(RunFolder.PROVENANCE), Map.class);
            assertTrue(((List<?>) prov.get("attempts")).size() >= 2, "the baseline was killed while training: " + prov);
            assertEquals(org.mtcompress.util.Seeds.derive(7, "dropout"), ((Number) ((Map<?, ?>) prov.get("seeds")).get("dropout")).longValue());
            assertChecksumsAreTheMirrorFiles((Map<?, ?>) prov.get("data_checksums"));
            Map<?, ?> metrics = Json.readFile(b.resolve("metrics.json"), Map.class);
            double total = ((Number) metrics.get("train_seconds")).doubleValue();
            double attempt = ((Number) metrics.get("train_seconds_this_attempt")).doubleValue();
            assertTrue(total >= attempt && total > 0, "train_seconds " + total + ", this attempt " + attempt);
            if (resumedMidway) { // the training time before the checkpoint counts, as the checkpoint kept it
                assertTrue(total > attempt, "train_seconds " + total + ", this attempt " + attempt);
            }
        }
    }

    /** The table's rows without the wall-time column (the only one that may differ). */
    private static List<String> tableRows(Path results) throws IOException {
        Path csv;
        try (Stream<Path> s = Files.walk(results)) {
            csv = s.filter(p -> p.getFileName().toString().equals("table.csv")).findFirst().orElseThrow(
                    () -> new AssertionError("no table.csv under " + results));
        }
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(rows.get(0).split(",", -1));
        int wall = header.indexOf("wall time (s)");
        assertTrue(wall >= 0, rows.get(0));
        List<String> out = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            List<String> cells = new ArrayList<>(List.of(row.split(",", -1)));
            assertEquals(header.size(), cells.size(), "a cell with a comma? " + row);
            cells.remove(wall);
            out.add(String.join(",", cells));
        }
        return out;
    }

    private static Path findDir(Path root, String name) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no folder " + name + " under " + root));
        }
    }

    private void assertChecksumsAreTheMirrorFiles(Map<?, ?> checksums) throws IOException {
        assertFalse(checksums.isEmpty(), "no data checksums");
        for (Map.Entry<?, ?> e : checksums.entrySet()) {
            Path f = mirror().resolve((String) e.getKey());
            assertTrue(Files.isRegularFile(f), "checksum of a file not in the mirror: " + e.getKey());
            assertEquals(Hashing.sha256Hex(f), e.getValue(), "sha256 of " + f);
        }
    }

    /**
     * Every run folder is whole: a provenance that parses and has its config beside it; a finished run has its
     * metrics (with the table row) and, for a row, its hypotheses; every checkpoint and JSON file reads.
     */
    private static void assertNoHalfWrittenRunFolder(Path results) throws IOException {
        if (!Files.exists(results)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(results)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".tmp")) {
                continue; // an atomic write cut short: never read, the real file is untouched
            }
            if (name.endsWith(".json")) {
                Json.readFile(f, Map.class);
            } else if (name.endsWith(".mtck")) {
                Checkpoint.load(f);
            }
            if (name.equals(RunFolder.PROVENANCE)) {
                Path dir = f.getParent();
                assertTrue(Files.exists(dir.resolve(RunFolder.CONFIG)), "provenance without config in " + dir);
                Map<?, ?> prov = Json.readFile(f, Map.class);
                if ("finished".equals(prov.get("status"))) {
                    assertTrue(Files.exists(dir.resolve(RunFolder.METRICS)), "finished without metrics: " + dir);
                    if (!dir.getParent().getFileName().toString().equals(ExperimentRunner.BASELINES)) {
                        assertTrue(Json.readFile(dir.resolve(RunFolder.METRICS), Map.class).containsKey("row"), dir.toString());
                        assertTrue(Files.exists(dir.resolve(ExperimentRunner.HYP_FILE)), "finished without hypotheses: " + dir);
                    }
                }
            }
        }
    }
}
