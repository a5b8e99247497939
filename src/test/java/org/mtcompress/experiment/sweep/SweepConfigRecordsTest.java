package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.config.ConfigLoader;

/** The sweep's config records carry annotations that the project's strict loader understands. */
class SweepConfigRecordsTest {
    @Test
    void defaultsMatchTheAnnotations() {
        assertEquals(SlurmConfig.defaults(), ConfigLoader.parse("{}", "slurm", SlurmConfig.class).value());
        assertEquals(SweepSpec.Settings.defaults(), ConfigLoader.parse("{}", "sweep", SweepSpec.Settings.class).value());
    }

    @Test
    void loaderBindsTheSameFieldsAsTheSweepReader(@TempDir Path dir) throws Exception {
        String slurm = "{partition: gpu, gpus: 2, cpus_per_task: 8, extra: [--qos=low]}";
        String settings = "{runs_dir: out, command: [echo, '{run}'], done_file: done.txt, slurm: " + slurm + "}";
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "grid: {a: [1, 2]}\nsweep: " + settings + "\n");
        SweepSpec.Settings read = SweepSpec.load(file).settings();
        assertEquals(ConfigLoader.parse(settings, "sweep", SweepSpec.Settings.class).value(), read);
        assertEquals(ConfigLoader.parse(slurm, "slurm", SlurmConfig.class).value(), read.slurm());
        assertEquals(new SlurmConfig("gpu", null, null, 8, 2, 0, List.of("--qos=low")), read.slurm());
        assertEquals("done.txt", read.doneFile());
    }
}
