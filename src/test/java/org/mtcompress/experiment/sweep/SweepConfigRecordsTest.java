package org.mtcompress.experiment.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mtcompress.config.ConfigLoader;

/** The sweep's config records carry annotations that the project's strict loader understands. */
class SweepConfigRecordsTest {
    @Test
    void defaultsMatchTheAnnotations() {
        assertEquals(SlurmConfig.defaults(), ConfigLoader.parse("{}", "slurm", SlurmConfig.class).value());
        assertEquals(SweepSpec.Settings.defaults(), ConfigLoader.parse("{}", "sweep", SweepSpec.Settings.class).value());
    }

    @Test
    void loaderBindsTheSameFieldsAsTheSweepReader() {
        SlurmConfig c = ConfigLoader.parse("partition: gpu\ngpus: 2\ncpus_per_task: 8\nextra: [--qos=low]\n", "slurm",
                SlurmConfig.class).value();
        assertEquals(new SlurmConfig("gpu", null, null, 8, 2, 0, List.of("--qos=low")), c);
    }
}
