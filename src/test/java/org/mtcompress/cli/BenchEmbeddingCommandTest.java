package org.mtcompress.cli;

import org.junit.jupiter.api.Test;
import org.mtcompress.bench.EmbeddingLookupBenchmark;
import org.mtcompress.util.MtcException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchEmbeddingCommandTest {
    @Test
    void measuresEveryVariantWithMemoryRelativeToDense() {
        List<EmbeddingLookupBenchmark.Row> rows = EmbeddingLookupBenchmark.run(300, 128, 64, 0.05);
        // dense x2, int8 channel, int4 group 128, int4 group 64, and with SIMD kernels also int4 group 64 scalar
        assertEquals(org.mtcompress.compress.embedding.PackedIntTable.VECTOR ? 6 : 5, rows.size());
        assertEquals(1.0, rows.get(0).relTime());
        assertEquals(1.0, rows.get(0).relMemory());
        assertEquals(4.5 / 32, rows.get(4).relMemory(), 1e-12); // int4 group 64: 4 bits + a float32 per 64
        for (EmbeddingLookupBenchmark.Row r : rows) {
            assertTrue(r.microsPerBatch() > 0, r.toString());
        }
        String table = EmbeddingLookupBenchmark.format(rows, 64);
        assertTrue(table.contains("fused int4 group 64"), table);
    }

    @Test
    void badShapeIsAOneLineError() {
        assertEquals(MtcException.BAD_INPUT, Main.execute("bench", "embedding", "--shape", "8000by256"));
    }
}
