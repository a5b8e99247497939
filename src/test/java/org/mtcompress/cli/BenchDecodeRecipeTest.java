package org.mtcompress.cli;

import org.junit.jupiter.api.Test;
import org.mtcompress.compress.CompressionPipeline;
import org.mtcompress.compress.KMeansSpec;
import org.mtcompress.compress.ScopePreset;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The bench's recipe row is the poster's mixed-precision recipe, read from experiments/poster.yaml, unretrained. */
class BenchDecodeRecipeTest {
    @Test
    void recipeRowIsKMeans1BitSelfAttentionThen4BitTheRestWithoutRetraining() {
        List<CompressionPipeline.Stage> stages = BenchDecodeCommand.mixedPrecision();
        assertEquals(2, stages.size());
        KMeansSpec first = assertInstanceOf(KMeansSpec.class, stages.get(0).compressor());
        KMeansSpec second = assertInstanceOf(KMeansSpec.class, stages.get(1).compressor());
        assertEquals(1, first.bits());
        assertEquals(ScopePreset.SELF_ATTENTION, first.scope().preset());
        assertEquals(4, second.bits());
        assertEquals(ScopePreset.ALL, second.scope().preset());
        assertEquals(List.of(".*\\.self_attn\\..*"), second.scope().exclude());
        assertEquals(0, stages.get(0).retrainSteps());
        assertEquals(0, stages.get(1).retrainSteps());
    }
}
