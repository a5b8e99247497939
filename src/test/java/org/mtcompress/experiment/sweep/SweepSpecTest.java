package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.util.MtcException;

class SweepSpecTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsGridZipOverridesAndSettings() throws IOException {
        Path f = write("ablation.yaml", """
                # header comment
                baseline: {model: small}   # belongs to the experiment runner, ignored here
                overrides:
                  train: {steps: 100}
                grid:
                  compress:
                    bits: [1, 4]
                zip:
                  - {seed: [1, 2], data.seed: [7, 8]}
                sweep:
                  command: [sh, -c, "echo {run}"]
                  done_file: result.json
                  slurm: {partition: gpu, time: "01:00:00", mem: 8G, cpus_per_task: 4, gpus: 1, throttle: 3,
                          extra: ["--account=abc"]}
                """);
        SweepSpec spec = SweepSpec.load(f);
        List<SweepRun> runs = spec.runs();
        assertEquals(4, runs.size());
        assertEquals(new SweepRun("bits1-seed2-data_seed8", List.of("train.steps=100", "compress.bits=1", "seed=2",
                "data.seed=8")), runs.get(1));
        assertEquals("result.json", spec.settings().doneFile());
        assertEquals(new SlurmConfig("gpu", "01:00:00", "8G", 4, 1, 3, List.of("--account=abc")), spec.settings().slurm());
        assertEquals(dir.resolve("results/runs/ablation"), spec.runsDir(dir));
    }

    @Test
    void doneNeedsTheDoneFileAFinishedProvenanceAndTheSameConfigHash(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path run = dir.resolve("r");
        Files.createDirectories(run);
        assertFalse(SweepSpec.isDone(run, "metrics.json", null));
        Files.writeString(run.resolve("metrics.json"), "{}");
        assertTrue(SweepSpec.isDone(run, "metrics.json", null), "a custom command's folder: the done file suffices");
        assertFalse(SweepSpec.isDone(run, "metrics.json", "aaa"), "a row's folder needs its provenance");
        Files.writeString(run.resolve("provenance.json"), "{\"config_hash\": \"aaa\", \"status\": \"failed\"}");
        assertFalse(SweepSpec.isDone(run, "metrics.json", "aaa"));
        Files.writeString(run.resolve("provenance.json"), "{\"config_hash\": \"aaa\", \"status\": \"finished\"}");
        assertTrue(SweepSpec.isDone(run, "metrics.json", "aaa"));
        assertTrue(SweepSpec.isDone(dir, new SweepRun("r", List.of(), "aaa"), "metrics.json"));
        assertFalse(SweepSpec.isDone(run, "metrics.json", "bbb"), "finished with another config");
        assertFalse(SweepSpec.isDone(dir, new SweepRun("r", List.of(), "bbb"), "metrics.json"));
    }

    @Test
    void defaultsWithoutSweepSection() throws IOException {
        SweepSpec spec = SweepSpec.load(write("e.yaml", "grid: {seed: [1]}\n"));
        assertEquals(List.of("./mtc", "run", "{experiment}", "--only", "{run}", "--results", "{results}"),
                spec.settings().command());
        assertEquals(null, spec.settings().baselineCommand(), "absent: decided by the sweep (original row or none)");
        SweepSpec.Settings r = spec.settings().resolve(Path.of("/r"), List.of("b", "{results}"));
        assertEquals(List.of("./mtc", "run", "{experiment}", "--only", "{run}", "--results", "/r"), r.command());
        assertEquals(List.of("b", "/r"), r.baselineCommand());
        assertEquals("metrics.json", spec.settings().doneFile());
        assertEquals(SlurmConfig.defaults(), spec.settings().slurm());
    }

    @Test
    void badInputNamesFileAndKey() throws IOException {
        Path unknown = write("u.yaml", "sweep: {slurm: {partiton: x}}\n");
        MtcException e = assertThrows(MtcException.class, () -> SweepSpec.load(unknown));
        assertEquals(unknown + ": unknown key 'sweep.slurm.partiton'; allowed: cpus_per_task, extra, gpus, mem,"
                + " partition, throttle, time", e.getMessage());

        Path scalar = write("s.yaml", "grid: {compress: {bits: 4}}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(scalar));
        assertEquals(scalar + ": 'grid.compress.bits' must be a list of values, got 4", e.getMessage());

        Path zip = write("z.yaml", "zip: {a: [1, 2], b: [1]}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(zip));
        assertTrue(e.getMessage().startsWith(zip + ": zip lists must have equal lengths"), e.getMessage());

        Path syntax = write("y.yaml", "grid:\n  a: [1, 2\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(syntax));
        assertTrue(e.getMessage().startsWith(syntax + ":"), e.getMessage());

        Path cpus = write("c.yaml", "sweep: {slurm: {cpus_per_task: 0}}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(cpus));
        assertTrue(e.getMessage().contains("cpus_per_task must be at least 1"), e.getMessage());
    }
}
