package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.MtcException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopeTest {
    private final ParameterMap model = FakeModel.transformer(2, 4, 8, 10, 1);

    private List<String> resolve(ScopePreset preset, List<String> include, List<String> exclude) {
        return Scope.resolve(model, new ScopeSpec(preset, include, exclude));
    }

    @Test
    void allSelectsEveryWeightMatrixButNoBiasOrNorm() {
        List<String> all = resolve(ScopePreset.ALL, List.of(), List.of());
        // 2 embeddings + output projection + enc 2x(4+2) + dec 2x(8+2)
        assertEquals(3 + 12 + 20, all.size());
        assertTrue(all.contains("decoder.output_projection.weight"));
        assertTrue(all.stream().noneMatch(n -> n.endsWith(".bias") || n.contains("norm")), all.toString());
    }

    @Test
    void presetsSelectTheirGroups() {
        List<String> self = resolve(ScopePreset.SELF_ATTENTION, List.of(), List.of());
        assertEquals(16, self.size());
        assertTrue(self.stream().allMatch(n -> n.contains(".self_attn.") && n.endsWith("proj.weight")));
        List<String> cross = resolve(ScopePreset.CROSS_ATTENTION, List.of(), List.of());
        assertEquals(List.of("decoder.layers.0.encoder_attn.q_proj.weight", "decoder.layers.0.encoder_attn.k_proj.weight",
                "decoder.layers.0.encoder_attn.v_proj.weight", "decoder.layers.0.encoder_attn.out_proj.weight",
                "decoder.layers.1.encoder_attn.q_proj.weight", "decoder.layers.1.encoder_attn.k_proj.weight",
                "decoder.layers.1.encoder_attn.v_proj.weight", "decoder.layers.1.encoder_attn.out_proj.weight"), cross);
        assertEquals(24, resolve(ScopePreset.ATTENTION, List.of(), List.of()).size());
        assertEquals(8, resolve(ScopePreset.FFN, List.of(), List.of()).size());
        assertEquals(List.of("encoder.embed_tokens.weight", "decoder.embed_tokens.weight"),
                resolve(ScopePreset.EMBEDDINGS, List.of(), List.of()));
    }

    @Test
    void includeAddsBiasesAndExcludeRemovesAnchored() {
        List<String> s = resolve(ScopePreset.FFN, List.of("encoder\\.layers\\.0\\.fc1\\.bias"), List.of("decoder\\..*"));
        assertEquals(List.of("encoder.layers.0.fc1.weight", "encoder.layers.0.fc1.bias", "encoder.layers.0.fc2.weight",
                "encoder.layers.1.fc1.weight", "encoder.layers.1.fc2.weight"), s);
        // anchored: 'fc1' alone matches no full name
        assertThrows(MtcException.class, () -> resolve(ScopePreset.NONE, List.of("fc1"), List.of()));
    }

    @Test
    void emptySelectionAndBadRegexAreUserErrors() {
        MtcException e = assertThrows(MtcException.class, () -> resolve(ScopePreset.FFN, List.of(), List.of(".*fc.*")));
        assertTrue(e.getMessage().contains("selects no parameter"), e.getMessage());
        MtcException bad = assertThrows(MtcException.class, () -> resolve(ScopePreset.ALL, List.of("(unclosed"), List.of()));
        assertTrue(bad.getMessage().contains("(unclosed"), bad.getMessage());
    }

    @Test
    void resolvedListIsWrittenOnePerLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<String> s = resolve(ScopePreset.FFN, List.of(), List.of());
        Path f = dir.resolve("run/scope.txt");
        Scope.write(f, s);
        assertEquals(s, Files.readAllLines(f));
    }
}
