package org.mtcompress.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.model.ParameterMap;
import org.mtcompress.util.MtcException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MtczTest {
    @TempDir
    Path dir;

    private static CompressorSpec spec(String name, int bits) {
        return name.equals("prune")
                ? new PruningSpec(name, ScopeSpec.of(ScopePreset.ALL), new PruningSettings(0.8, 0.8, 0, 1, false, PruningThreshold.PER_TENSOR))
                : CompressorSpec.defaults(name, bits);
    }

    /**
     * A ~4.6M-parameter model: large enough that the header (names, shapes: ~80 bytes per parameter) is under
     * 1 % of a 1-bit file, as it is for real models.
     */
    @Test
    void roundTripIsExactAndFileSizeMatchesTheReport() throws Exception {
        ParameterMap base = FakeModel.transformer(1, 256, 1024, 3000, 11);
        for (String[] c : new String[][] {{"kmeans", "4"}, {"kmeans", "1"}, {"bsflex", "1"}, {"binary_fixed", "1"}, {"prune", "32"}}) {
            ParameterMap p = ParameterMap.copyOf(base);
            CompressorSpec spec = spec(c[0], Integer.parseInt(c[1]));
            if (c[0].equals("kmeans") && c[1].equals("1")) {
                spec = new KMeansSpec("kmeans", 1, ScopeSpec.of(ScopePreset.ALL),
                        new KMeansSettings(CodebookSharing.LAYER, KMeansInit.LINEAR, KMeansAlgorithm.AUTO, 65536, 100), 42);
            }
            CompressionState s = CompressorRegistry.standard().create(spec).compress(p, Scope.resolve(p, ScopeSpec.of(ScopePreset.ALL)));
            s.afterStep(p, 1);
            Encoding e = s.encode(p);
            Path f = dir.resolve(c[0] + c[1] + ".mtcz");
            Mtcz.write(f, p, e);
            SizeReport report = SizeReport.of(p, e);
            double fileBits = 8.0 * Files.size(f);
            assertTrue(fileBits >= report.storedBits(), c[0] + c[1]);
            assertTrue(fileBits <= report.storedBits() * 1.01, c[0] + c[1] + ": file " + fileBits + " bits vs report " + report.storedBits());
            Mtcz.Contents back = Mtcz.read(f);
            assertEquals(p.names(), back.params().names());
            for (String name : p.names()) {
                assertArrayEquals(p.shape(name), back.params().shape(name), name);
                float[] a = p.read(name);
                float[] b = back.params().read(name);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), name + "[" + i + "]");
                }
            }
            assertEquals(report.storedBits(), SizeReport.of(back.params(), back.encoding()).storedBits(), c[0]);
        }
    }

    @Test
    void damagedFilesAreUserErrorsNamingTheFile() throws Exception {
        ParameterMap p = new ParameterMap().put("a.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4});
        CompressionState s = new KMeansCompressor(KMeansSpec.of(1)).compress(p, List.of("a.weight"));
        Path f = dir.resolve("m.mtcz");
        Mtcz.write(f, p, s.encode(p));
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.mtcz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        MtcException e = assertThrows(MtcException.class, () -> Mtcz.read(cut));
        assertTrue(e.getMessage().contains("cut.mtcz") && e.getMessage().contains("truncated"), e.getMessage());
        Path foreign = dir.resolve("x.mtcz");
        Files.writeString(foreign, "hello world");
        assertTrue(assertThrows(MtcException.class, () -> Mtcz.read(foreign)).getMessage().contains("not an .mtcz"));
        Random rnd = new Random(0);
        assertEquals(4, Mtcz.read(f).params().read("a.weight").length + rnd.nextInt(1));
    }
}
