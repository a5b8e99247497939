package org.mtcompress.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.config.ConfigException;
import org.mtcompress.config.ConfigLoader;

/** Experiment specs load strictly; the shipped ones load at all. */
class ExperimentConfigTest {
    @TempDir
    Path dir;

    private static final String HEAD = "experiment: t\nmodel: {d_model: 32, heads: 2}\ntrain: {max_steps: 5}\n";

    private String error(String yaml) throws Exception {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of(), ExperimentConfig.class))
                .getMessage();
    }

    @Test
    void unknownCompressorNamesTheVariantAndTheKnownOnes() throws Exception {
        String msg = error(HEAD + "variants:\n  - name: a\n    compressor: {name: kmenas}\n");
        assertTrue(msg.contains("exp.yaml:6:") && msg.contains("unknown compressor 'kmenas'") && msg.contains("kmeans"), msg);
    }

    @Test
    void duplicateVariantNamesAreAnError() throws Exception {
        String msg = error(HEAD + "variants:\n  - name: a\n    compressor: {name: kmeans}\n"
                + "  - name: a\n    compressor: {name: none}\n");
        assertTrue(msg.contains("'a' is used twice"), msg);
    }

    @Test
    void reservedAndBadNamesAreErrors() throws Exception {
        assertTrue(error(HEAD + "variants:\n  - name: original\n    compressor: {name: kmeans}\n").contains("reserved"));
        assertTrue(error(HEAD + "variants:\n  - name: ../x\n    compressor: {name: kmeans}\n").contains("letters, digits"));
        assertTrue(error(HEAD.replace("experiment: t", "experiment: baselines")).contains("reserved"));
    }

    @Test
    void theControlRowIsOneUncompressedVariant() throws Exception {
        String msg = error(HEAD + "variants:\n  - name: c\n    compressor: {name: kmeans}\n    control: true\n");
        assertTrue(msg.contains("'control'") && msg.contains("name: none"), msg);
        msg = error(HEAD + "variants:\n  - name: c\n    compressor: {name: none}\n    control: true\n"
                + "  - name: d\n    compressor: {name: none}\n    control: true\n");
        assertTrue(msg.contains("one control row") && msg.contains("[c, d]"), msg);
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, HEAD + "variants:\n  - name: c\n    compressor: {name: none}\n    retrain: {steps: 3}\n"
                + "    control: true\n  - name: k\n    compressor: {name: kmeans}\n");
        List<VariantSpec> variants = ConfigLoader.load(f, List.of(), ExperimentConfig.class).value().variants();
        assertEquals(List.of("control", "variant"), variants.stream().map(VariantSpec::role).toList());
    }

    @Test
    void misspelledVariantKeyNamesItsLine() throws Exception {
        String msg = error(HEAD + "variants:\n  - name: a\n    compressor: {name: kmeans}\n    retrian: {steps: 3}\n");
        assertTrue(msg.contains("exp.yaml:7:") && msg.contains("unknown key 'variants[0].retrian'"), msg);
    }

    @Test
    void shippedExperimentsLoad() {
        for (String name : List.of("quickstart.yaml", "poster.yaml", "poster-embeddings.yaml")) {
            Path f = TestPaths.projectRoot().resolve("experiments").resolve(name);
            ExperimentConfig cfg = ConfigLoader.load(f, List.of(), ExperimentConfig.class).value();
            assertTrue(cfg.variants().size() >= 9, name);
            assertEquals(name.replace(".yaml", ""), cfg.experiment());
        }
    }

    @Test
    void theEmbeddingExperimentReusesThePostersBaseline() {
        Path dir = TestPaths.projectRoot().resolve("experiments");
        ExperimentConfig poster = ConfigLoader.load(dir.resolve("poster.yaml"), List.of(), ExperimentConfig.class).value();
        ExperimentConfig emb = ConfigLoader.load(dir.resolve("poster-embeddings.yaml"), List.of(), ExperimentConfig.class)
                .value();
        assertEquals(ConfigLoader.of(poster.baseline(), null).hash(), ConfigLoader.of(emb.baseline(), null).hash());
        assertEquals(poster.eval(), emb.eval());
        assertTrue(poster.variants().stream().noneMatch(v -> v.name().startsWith("emb-")));
    }

    @Test
    void modelVariantTrainsItsOwnBaseline() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, HEAD + "variants:\n  - name: h\n    model: {embedding: hash, hash_dim: 16}\n");
        ExperimentConfig cfg = ConfigLoader.load(f, List.of(), ExperimentConfig.class).value();
        VariantSpec v = cfg.variants().get(0);
        assertTrue(v.architectureVariant());
        assertEquals(VariantSpec.NO_COMPRESSOR, v.compressorName());
        org.mtcompress.config.ModelConfig m = cfg.baseline(v).model();
        assertTrue(m.hashEmbedding() && m.hashDim() == 16 && !m.tiedEmbeddings() && m.dModel() == 32, m.toString());
        // content-addressed apart from the experiment's baseline
        assertTrue(!ConfigLoader.of(cfg.baseline(v), null).hash().equals(ConfigLoader.of(cfg.baseline(), null).hash()));
        assertEquals(cfg.baseline().model(), cfg.model());
    }

    @Test
    void badModelVariantsAreErrorsAtLoadTime() throws Exception {
        String msg = error(HEAD + "variants:\n  - name: h\n    model: {embeding: hash}\n");
        assertTrue(msg.contains("exp.yaml:") && msg.contains("variant 'h'") && msg.contains("unknown key 'embeding'"), msg);
        msg = error(HEAD + "variants:\n  - name: h\n    model: {embedding: hashed}\n");
        assertTrue(msg.contains("variant 'h'") && msg.contains("dense, hash"), msg);
        msg = error(HEAD + "variants:\n  - name: h\n    model: {embedding: hash}\n    compressor: {name: kmeans}\n");
        assertTrue(msg.contains("takes no compressor"), msg);
        msg = error(HEAD + "variants:\n  - name: h\n    retrain: {steps: 3}\n");
        assertTrue(msg.contains("compressor is required"), msg);
    }
}
