package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NoCompressionTest {
    @Test
    void keepsValuesAndTrainingUpdatesAndSizesAtRatioOne() {
        ParameterMap p = new ParameterMap();
        p.put("a.weight", new long[]{2, 3}, new float[]{0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f});
        p.put("b.bias", new long[]{3}, new float[]{1, 2, 3});
        Compressor none = CompressorRegistry.standard().create(CompressorSpec.defaults("none", 32));
        CompressionState state = none.compress(p, List.of("a.weight"));
        assertArrayEquals(new float[]{0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f}, p.read("a.weight"));

        float[] trained = {1, 1, 1, 1, 1, 1};
        p.write("a.weight", trained);
        state.afterStep(p, 1);
        assertArrayEquals(trained, p.read("a.weight"), "no constraint: a training update stays");

        SizeReport size = SizeReport.of(p, state.encode(p));
        assertEquals(1.0, size.ratio(), 1e-12);
        assertEquals(1.0, size.scopeRatio(), 1e-12);
        assertArrayEquals(trained, state.encode(p).tensors().get("a.weight").decode());
    }
}
