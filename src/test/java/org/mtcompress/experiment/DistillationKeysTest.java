package org.mtcompress.experiment;

import org.junit.jupiter.api.Test;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;
import org.mtcompress.model.Distillation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Knowledge distillation is a retrain: key of every variant and stage, checked when the file is loaded. */
class DistillationKeysTest {
    @Test
    void kdKeysReachThePipelineStage() {
        VariantSpec plain = ConfigLoader.parse("{name: k1, compressor: {name: kmeans, bits: 1}, retrain: {steps: 40}}",
                "test", VariantSpec.class).value();
        assertEquals(Distillation.NONE, plain.pipelineStages().get(0).distill());
        VariantSpec kd = ConfigLoader.parse("{name: k1, compressor: {name: kmeans, bits: 1}, "
                + "retrain: {steps: 40, kd_alpha: 0.5, kd_temperature: 3}}", "test", VariantSpec.class).value();
        assertEquals(new Distillation(0.5, 3), kd.pipelineStages().get(0).distill());
        ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.parse("{name: k1, compressor: "
                + "{name: kmeans, bits: 1}, retrain: {steps: 40, kd_alpha: 1.5}}", "test", VariantSpec.class));
        assertTrue(bad.getMessage().contains("kd_alpha"), bad.getMessage());
    }
}
