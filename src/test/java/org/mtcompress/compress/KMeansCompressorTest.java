package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansCompressorTest {
    private static KMeansSpec spec(int bits, CodebookSharing sharing) {
        return new KMeansSpec("kmeans", bits, ScopeSpec.of(ScopePreset.ALL),
                new KMeansSettings(sharing, KMeansInit.LINEAR, KMeansAlgorithm.AUTO, 65536, 100), 42);
    }

    @Test
    void oneBitOnATinyTensorGivesTheTwoClusterMeans() {
        ParameterMap p = new ParameterMap().put("a.weight", new long[] {2, 3}, new float[] {1, 2, 3, 10, 11, 12});
        CompressionState s = new KMeansCompressor(spec(1, CodebookSharing.TENSOR)).compress(p, List.of("a.weight"));
        assertArrayEquals(new float[] {2, 2, 2, 11, 11, 11}, p.read("a.weight"));
        CodebookTensor t = (CodebookTensor) s.encode(p).tensors().get("a.weight");
        assertArrayEquals(new float[] {2, 11}, t.codebook());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, t.codes());
        assertEquals(new StorageBits(6, 64, 0, 0), t.bits());
    }

    @Test
    void retrainingMovesEachCentroidByItsMembersMeanUpdate() {
        ParameterMap p = new ParameterMap().put("a.weight", new long[] {1, 4}, new float[] {0, 0.5f, 4, 4.5f});
        CompressionState s = new KMeansCompressor(spec(1, CodebookSharing.TENSOR)).compress(p, List.of("a.weight"));
        assertArrayEquals(new float[] {0.25f, 0.25f, 4.25f, 4.25f}, p.read("a.weight"));
        // optimizer step: updates +0.125, +0.125 on cluster 0 and -0.5, +0.25 on cluster 1
        p.write("a.weight", new float[] {0.375f, 0.375f, 3.75f, 4.5f});
        s.afterStep(p, 1);
        // the least-squares projection onto the fixed assignment: each centroid moves by its members' mean update
        assertArrayEquals(new float[] {0.375f, 0.375f, 4.125f, 4.125f}, p.read("a.weight"));
    }

    @Test
    void invariantsHoldAfterRandomRetrainingSteps() {
        ParameterMap p = FakeModel.transformer(1, 8, 16, 20, 3);
        List<String> scope = Scope.resolve(p, ScopeSpec.of(ScopePreset.ALL));
        for (CodebookSharing sharing : CodebookSharing.values()) {
            ParameterMap q = ParameterMap.copyOf(p);
            CompressionState s = new KMeansCompressor(spec(3, sharing)).compress(q, scope);
            Random rnd = new Random(1);
            for (int step = 1; step <= 5; step++) {
                FakeModel.randomStep(q, rnd, 0.01);
                s.afterStep(q, step);
            }
            Encoding e = s.encode(q);
            for (String name : scope) {
                float[] v = q.read(name);
                assertTrue(FakeModel.distinct(v) <= 8, name + " has " + FakeModel.distinct(v) + " distinct values");
                assertArrayEquals(v, e.tensors().get(name).decode(), name);
            }
            // untouched parameters moved freely
            assertTrue(FakeModel.distinct(q.read("encoder.layers.0.fc1.bias")) > 8);
            if (sharing == CodebookSharing.GLOBAL) {
                assertEquals(1, e.sharedTables().size());
            } else if (sharing == CodebookSharing.LAYER) {
                // encoder.layers.0, decoder.layers.0 shared; embeddings and output projection keep their own
                assertEquals(2, e.sharedTables().size());
                assertNull(e.tensors().get("decoder.output_projection.weight").sharedTable());
                assertEquals("decoder.layers.0", e.tensors().get("decoder.layers.0.fc2.weight").sharedTable());
            } else {
                assertEquals(0, e.sharedTables().size());
            }
        }
    }

    @Test
    void compressedValuesAreTheNearestCentroids() {
        ParameterMap p = FakeModel.transformer(1, 16, 32, 30, 4);
        ParameterMap orig = ParameterMap.copyOf(p);
        String name = "encoder.layers.0.fc1.weight";
        CompressionState s = new KMeansCompressor(spec(4, CodebookSharing.TENSOR)).compress(p, List.of(name));
        CodebookTensor t = (CodebookTensor) s.encode(p).tensors().get(name);
        assertTrue(t.codebook().length <= 16);
        assertArrayEquals(KMeans1D.assignReference(orig.read(name), t.codebook()), t.codes());
        assertEquals(KMeans1D.sse(orig.read(name), KMeans1D.exact(orig.read(name), 16)),
                KMeans1D.sse(orig.read(name), t.codebook()), 1e-12);
    }
}
