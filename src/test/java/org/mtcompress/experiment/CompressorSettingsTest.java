package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.compress.CodebookSharing;
import org.mtcompress.compress.KMeansSpec;
import org.mtcompress.compress.ScopePreset;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;

/**
 * Each compressor's settings are checked when the experiment is loaded: keys it does not have, values out of its
 * range and a pruning schedule longer than its retraining are one-line errors naming the file, line and key.
 */
class CompressorSettingsTest {
    @TempDir
    Path dir;

    private static final String HEAD = "experiment: t\nmodel: {d_model: 32, heads: 2}\ntrain: {max_steps: 5}\n";

    private Path write(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, yaml);
        return f;
    }

    private String error(String variants) throws Exception {
        Path f = write("exp.yaml", HEAD + "variants:\n" + variants);
        String msg = assertThrows(ConfigException.class, () -> ExperimentConfig.load(f, List.of())).getMessage();
        assertEquals(1, msg.lines().count(), msg);
        return msg;
    }

    @Test
    void kmeansBitsOutOfRange() throws Exception {
        String msg = error("  - name: k9\n    compressor:\n      name: kmeans\n      bits: 9\n");
        assertTrue(msg.startsWith(dir.resolve("exp.yaml") + ":8:") || msg.contains("exp.yaml:8:"), msg);
        assertTrue(msg.contains("'variants[0].compressor.bits' = 9 is out of range [1, 8]"), msg);
    }

    @Test
    void bsflexWithFourBits() throws Exception {
        String msg = error("  - name: b\n    compressor: {name: bsflex, bits: 4}\n");
        assertTrue(msg.contains("exp.yaml:6:") && msg.contains("'variants[0].compressor.bits' = 4 is out of range [1, 1]"), msg);
    }

    @Test
    void bsflexWithAPruningBlock() throws Exception {
        String msg = error("  - name: b\n    compressor:\n      name: bsflex\n      pruning: {start: 0.5}\n");
        assertTrue(msg.contains("exp.yaml:8:") && msg.contains("unknown key 'variants[0].compressor.pruning'")
                && msg.contains("allowed: name, bits, scope, kmeans, seed"), msg);
    }

    @Test
    void intnWithTheClippingSearchOfUniformClip() throws Exception {
        String msg = error("  - name: w4\n    compressor: {name: intn, bits: 4, quant: {clip_tolerance: 0.01}}\n");
        assertTrue(msg.contains("unknown key 'variants[0].compressor.quant.clip_tolerance'"), msg);
    }

    @Test
    void pruningScheduleLongerThanItsRetraining() throws Exception {
        String msg = error("  - name: p\n    compressor: {name: prune, pruning: {start: 0.3, end: 0.5, rounds: 2, "
                + "steps_per_round: 8}}\n    retrain: {steps: 8}\n");
        assertTrue(msg.contains("exp.yaml:5:") && msg.contains("variant 'p'") && msg.contains("key 'pruning'")
                && msg.contains("step 16") && msg.contains("8 steps"), msg);
        // ending before the last retraining step is fine
        Path ok = write("ok.yaml", HEAD + "variants:\n  - name: p\n    compressor: {name: prune, pruning: {start: 0.3, "
                + "end: 0.5, rounds: 2, steps_per_round: 3}}\n    retrain: {steps: 8}\n");
        assertEquals("prune", ExperimentConfig.load(ok, List.of()).value().variants().get(0).compressor().name());
    }

    @Test
    void aPresetByNameWithOverrides() throws Exception {
        write("configs/compress/k4.yaml", "name: kmeans\nbits: 4\nscope: {preset: all}\nkmeans: {sharing: layer}\n");
        Path f = write("experiments/exp.yaml", HEAD + "variants:\n  - name: a\n    compressor: {use: k4, bits: 2, "
                + "scope: {preset: self_attention}}\n");
        KMeansSpec k = (KMeansSpec) ExperimentConfig.load(f, List.of()).value().variants().get(0).compressor();
        assertEquals(2, k.bits());
        assertEquals(ScopePreset.SELF_ATTENTION, k.scope().preset());
        assertEquals(CodebookSharing.LAYER, k.kmeans().sharing());
        // the preset's own values are checked too, and an unknown preset lists the known ones
        Path bad = write("experiments/bad.yaml", HEAD + "variants:\n  - name: a\n    compressor: {use: k5}\n");
        String msg = assertThrows(ConfigException.class, () -> ExperimentConfig.load(bad, List.of())).getMessage();
        assertTrue(msg.contains("bad.yaml:6:") && msg.contains("no preset 'k5'") && msg.contains("known: k4"), msg);
        Path nine = write("experiments/nine.yaml", HEAD + "variants:\n  - name: a\n    compressor: {use: k4, bits: 9}\n");
        msg = assertThrows(ConfigException.class, () -> ExperimentConfig.load(nine, List.of())).getMessage();
        assertTrue(msg.contains("nine.yaml:6:") && msg.contains("out of range [1, 8]"), msg);
    }

    @Test
    void theShippedPresetsAreUsableByName() throws Exception {
        // the project's own configs/compress/, found above the working directory
        KMeansSpec k = (KMeansSpec) ConfigLoader.parse("{use: kmeans-2bit-self-attention, bits: 3}", "test",
                org.mtcompress.compress.CompressorSpec.class).value();
        assertEquals(3, k.bits());
        assertEquals(ScopePreset.SELF_ATTENTION, k.scope().preset());
        assertFalse(ConfigLoader.toPlain(k).toString().contains("use"));
    }
}
