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
    void everyShippedExperimentFileLoadsItsSweepAndRows() throws IOException {
        try (var files = Files.list(org.mtcompress.TestPaths.projectRoot().resolve("experiments"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                SweepSpec spec = SweepSpec.load(f);
                var rows = org.mtcompress.experiment.ExperimentRunner.rows(
                        org.mtcompress.experiment.ExperimentConfig.load(f, List.of()));
                assertEquals(1 + org.mtcompress.experiment.ExperimentConfig.load(f, List.of()).value().variants().size()
                        + (spec.hasAxes() ? spec.runs().size() : 0), rows.size(), f.toString());
                if (f.getFileName().toString().equals("sweep-kmeans-bits.yaml")) {
                    assertEquals(12, spec.runs().size());
                    assertEquals(new SlurmConfig(null, "01:00:00", "8G", 2, 0, 8, List.of()), spec.settings().slurm());
                }
            }
        }
    }

    @Test
    void anExperimentFileLeavesItsOtherKeysToTheExperimentLoader() throws IOException {
        Path f = write("e.yaml", """
                experiment: abl
                model: {d_model: 64}
                variant: {compressor: {name: kmeans}}
                grid: {variant.compressor.bits: [1, 2]}
                """);
        assertEquals(2, SweepSpec.load(f).runs().size());
        Path sweepOnly = write("o.yaml", "grid: {a: [1]}\nmodel: {d_model: 64}\n");
        MtcException e = assertThrows(MtcException.class, () -> SweepSpec.load(sweepOnly));
        assertEquals(sweepOnly + ":2: unknown key 'model' (allowed: overrides, grid, zip, sweep)", e.getMessage());
    }

    @Test
    void extendsWorksAsInEveryOtherConfig() throws IOException {
        write("base.yaml", "sweep: {done_file: done.txt}\noverrides: {train.max_steps: 5}\n");
        Path f = write("child.yaml", "extends: base.yaml\ngrid: {seed: [1, 2]}\n");
        SweepSpec spec = SweepSpec.load(f);
        assertEquals("done.txt", spec.settings().doneFile());
        assertEquals(List.of("train.max_steps=5", "seed=2"), spec.runs().get(1).overrides());
    }

    @Test
    void badInputNamesFileLineAndKey() throws IOException {
        Path unknown = write("u.yaml", "grid: {a: [1]}\nsweep:\n  slurm: {partiton: x}\n");
        MtcException e = assertThrows(MtcException.class, () -> SweepSpec.load(unknown));
        assertEquals(unknown + ":3: unknown key 'sweep.slurm.partiton' (allowed: partition, time, mem, cpus_per_task,"
                + " gpus, throttle, extra)", e.getMessage());

        Path scalar = write("s.yaml", "grid:\n  compress: {bits: 4}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(scalar));
        assertEquals(scalar + ":2: key 'grid.compress.bits' must be a list of values, got 4", e.getMessage());

        Path twice = write("t.yaml", "grid:\n  a.b: [1]\n  a: {b: [2]}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(twice));
        assertEquals(twice + ":3: key 'grid.a.b' is given twice", e.getMessage());

        Path zip = write("z.yaml", "seed: 1\nexperiment: x\nzip: {a: [1, 2], b: [1]}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(zip));
        assertTrue(e.getMessage().startsWith(zip + ":3: zip lists must have equal lengths"), e.getMessage());

        Path empty = write("c2.yaml", "sweep: {command: []}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(empty));
        assertEquals(empty + ":1: key 'sweep.command' = a list of 0 items is out of range [1, inf]", e.getMessage());

        Path syntax = write("y.yaml", "grid:\n  a: [1, 2\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(syntax));
        assertTrue(e.getMessage().startsWith(syntax + ":"), e.getMessage());

        Path cpus = write("c.yaml", "sweep: {slurm: {cpus_per_task: 0}}\n");
        e = assertThrows(MtcException.class, () -> SweepSpec.load(cpus));
        assertEquals(cpus + ":1: key 'sweep.slurm.cpus_per_task' = 0 is out of range [1, 1024]", e.getMessage());
    }
}
