package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.mtcompress.model.ParameterMap;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SizeReportTest {
    /** The README's worked example: a 1000x1000 matrix at 4-bit k-means beside a 1000-value bias. */
    @Test
    void workedExampleKMeans() {
        float[] w = new float[1_000_000];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 100) / 100f;
        }
        ParameterMap p = new ParameterMap().put("l.weight", new long[] {1000, 1000}, w)
                .put("l.bias", new long[] {1000}, new float[1000]);
        CompressionState s = new KMeansCompressor(KMeansSpec.of(4)).compress(p, List.of("l.weight"));
        SizeReport r = SizeReport.of(p, s.encode(p));
        assertEquals(32L * 1_001_000, r.originalBits());
        // 4 bits x 1M indices + 16 x 32-bit centroids + 1000 x 32-bit bias
        assertEquals(4_000_000L + 512 + 32_000, r.storedBits());
        assertEquals(32_000_000.0 / 4_000_512, r.scopeRatio(), 1e-9);
        assertEquals(32_032_000.0 / 4_032_512, r.ratio(), 1e-9);
        assertEquals(Map.of("l.bias", false, "l.weight", true),
                Map.of(r.rows().get(0).name(), r.rows().get(0).compressed(), r.rows().get(1).name(), r.rows().get(1).compressed()));
    }

    @Test
    void maskTakesTheSmallerOfBitmapAndCsr() {
        // 4x100 with 2 kept values: CSR = 5 row pointers x 2 bits + 2 columns x 7 bits = 24 < 400 bitmap bits
        float[] v = new float[400];
        v[5] = 1f;
        v[250] = -2f;
        SparseTensor sparse = SparseTensor.ofDense(new long[] {4, 100}, v);
        assertEquals(24, sparse.csrBits());
        assertEquals(new StorageBits(0, 0, 24, 64), sparse.bits());
        // half kept: the bitmap (400 bits) beats CSR (5 x 8 + 200 x 7)
        float[] half = new float[400];
        for (int i = 0; i < 400; i += 2) {
            half[i] = 1f;
        }
        assertEquals(new StorageBits(0, 0, 400, 200 * 32), SparseTensor.ofDense(new long[] {4, 100}, half).bits());
    }

    @Test
    void sharedTablesAreCountedOnce() {
        ParameterMap p = new ParameterMap().put("a", new long[] {2}, new float[] {1, 2}).put("b", new long[] {2}, new float[] {2, 1});
        float[] cb = {1, 2};
        Encoding e = new Encoding(Map.of("a", new CodebookTensor(new long[] {2}, 1, cb, "g", new int[] {0, 1}),
                "b", new CodebookTensor(new long[] {2}, 1, cb, "g", new int[] {1, 0})), Map.of("g", cb));
        SizeReport r = SizeReport.of(p, e);
        assertEquals(2 + 2 + 64, r.storedBits());
        assertEquals(3, r.rows().size());
    }
}
