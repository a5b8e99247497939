package org.mtcompress.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mtcompress.config.ModelConfig;

/** The layout derived from a model config names and shapes exactly the parameters of the model built from it. */
class ParameterLayoutTest {
    @Test
    void matchesTheBuiltModel() {
        ModelConfig tiny = ModelConfig.tiny();
        for (ModelConfig cfg : List.of(tiny, tiny.with(false, false), tiny.with(true, false))) {
            NamedParameters built = Transformer.create(cfg, 50, 0, 2, 3, 1).parameters();
            ParameterLayout layout = ParameterLayout.of(cfg, 50);
            assertEquals(built.names(), layout.names(), cfg.toString());
            for (String n : built.names()) {
                assertArrayEquals(built.shape(n), layout.shape(n), n);
            }
        }
    }

    @Test
    void holdsNoValues() {
        ParameterLayout layout = ParameterLayout.of(ModelConfig.tiny());
        assertThrows(UnsupportedOperationException.class, () -> layout.read(layout.names().get(0)));
    }
}
