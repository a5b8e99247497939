package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.util.MtcException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressorRegistryTest {
    @Test
    void standardHasTheBuiltInsAndCreatesThem() {
        CompressorRegistry r = CompressorRegistry.standard();
        assertTrue(r.names().containsAll(java.util.List.of("kmeans", "bsflex", "binary_fixed", "prune")), r.names().toString());
        assertEquals("bsflex", r.create(CompressorSpec.defaults("bsflex", 1)).name());
        assertEquals("kmeans", r.create(CompressorSpec.defaults("kmeans", 4)).name());
    }

    @Test
    void duplicateNameIsRejected() {
        CompressorRegistry r = CompressorRegistry.standard();
        assertThrows(IllegalArgumentException.class, () -> r.register("kmeans", KMeansSpec.class, KMeansCompressor::new));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        MtcException e = assertThrows(MtcException.class,
                () -> CompressorRegistry.standard().settingsType("kmean"));
        assertTrue(e.getMessage().contains("'kmean'") && e.getMessage().contains(String.join(", ", CompressorRegistry.standard().names()))
                && e.getMessage().contains("binary_fixed, bsflex, intn, kmeans, none, prune"),
                e.getMessage());
    }

    @Test
    void kmeansBitsOutsideOneToEightIsAUserError() {
        assertThrows(MtcException.class, () -> CompressorSpec.defaults("kmeans", 9));
    }
}
