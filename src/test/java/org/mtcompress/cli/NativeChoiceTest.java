package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of native code (scripts/native-choice.sh, which ./mtc sources) as a function of the CPU's
 * flags, read from fake cpuinfo files, and of the environment (MTC_NATIVE, OPENBLAS_CORETYPE).
 */
class NativeChoiceTest {
    /** A Zen 4 / Sapphire Rapids style flags line: AVX-512 with all the subsets the AVX-512 builds need. */
    static final String AVX512 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma avx2 avx512f avx512dq avx512cd "
            + "avx512bw avx512vl avx512_vnni";
    static final String AVX2 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma avx2";
    /** Xeon Phi (Knights Landing): avx512f and avx512cd but not the bw/vl/dq subsets OpenBLAS's SkylakeX kernels use. */
    static final String KNL = "fpu sse sse2 avx fma avx2 avx512f avx512cd avx512pf avx512er";

    @TempDir
    Path dir;

    private record Result(int rc, Map<String, String> values, String stderr) {
    }

    private Path cpuinfo(String flags) throws IOException {
        Path f = dir.resolve("cpuinfo-" + Math.abs(flags.hashCode()));
        Files.writeString(f, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: Test CPU\nflags\t\t: " + flags
                + "\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        return f;
    }

    private Result choose(String flags, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/native-choice.sh", cpuinfo(flags).toString());
        pb.environment().remove("MTC_NATIVE");
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Map<String, String> values = new LinkedHashMap<>();
        out.lines().forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return new Result(rc, values, err);
    }

    @Test
    void avx512CpuGetsTheOneDnnBuildAndSkylakeXKernels() throws Exception {
        Result r = choose(AVX512, Map.of());
        assertEquals(0, r.rc(), r.stderr());
        assertEquals("onednn", r.values().get("name"));
        assertEquals("auto", r.values().get("source"));
        assertEquals("-onednn", r.values().get("nd4j_extension"));
        assertEquals("SKYLAKEX", r.values().get("openblas_coretype"));
        assertEquals("onednn (auto): nd4j=linux-x86_64-onednn openblas=SKYLAKEX", r.values().get("summary"));
    }

    @Test
    void avx2CpuGetsTheOneDnnBuildWithOpenBlasDetectingItsKernels() throws Exception {
        for (String flags : List.of(AVX2, KNL)) {
            Result r = choose(flags, Map.of());
            assertEquals(0, r.rc(), r.stderr());
            assertEquals("-onednn", r.values().get("nd4j_extension"), flags);
            assertEquals("", r.values().get("openblas_coretype"), flags);
            assertEquals("onednn (auto): nd4j=linux-x86_64-onednn openblas=detected by OpenBLAS", r.values().get("summary"));
        }
    }

    @Test
    void withoutAvx2TheGenericBuild() throws Exception {
        for (String flags : List.of("fpu sse sse2 sse4_2 avx", "fpu sse sse2 avx2")) {
            Result r = choose(flags, Map.of());
            assertEquals(0, r.rc(), r.stderr());
            assertEquals("generic", r.values().get("name"), flags);
            assertEquals("", r.values().get("nd4j_extension"), flags);
            assertEquals("", r.values().get("openblas_coretype"), flags);
            assertEquals("generic (auto): nd4j=linux-x86_64 openblas=detected by OpenBLAS", r.values().get("summary"));
        }
    }

    @Test
    void anOpenBlasCoretypeFromTheEnvironmentIsNeverOverridden() throws Exception {
        Result r = choose(AVX512, Map.of("OPENBLAS_CORETYPE", "Haswell"));
        assertEquals(0, r.rc(), r.stderr());
        assertEquals("-onednn", r.values().get("nd4j_extension"));
        assertEquals("Haswell", r.values().get("openblas_coretype"));
        assertTrue(r.values().get("summary").endsWith("openblas=Haswell (from the environment)"), r.values().get("summary"));
    }

    @Test
    void mtcNativeOverridesTheChoice() throws Exception {
        Result generic = choose(AVX512, Map.of("MTC_NATIVE", "generic"));
        assertEquals(0, generic.rc(), generic.stderr());
        assertEquals("generic", generic.values().get("name"));
        assertEquals("MTC_NATIVE", generic.values().get("source"));
        assertEquals("", generic.values().get("nd4j_extension"));
        assertEquals("", generic.values().get("openblas_coretype"));

        Result auto = choose(AVX2, Map.of("MTC_NATIVE", "auto"));
        assertEquals("auto", auto.values().get("source"));
        assertEquals("-onednn", auto.values().get("nd4j_extension"));
    }

    @Test
    void anUnknownOrUnsupportedOverrideIsRefusedWithExitCode2() throws Exception {
        Result unknown = choose(AVX512, Map.of("MTC_NATIVE", "avx1024"));
        assertEquals(2, unknown.rc());
        assertEquals("error: MTC_NATIVE=avx1024 is not a native choice (known: auto generic onednn)\n", unknown.stderr());

        Result missing = choose("fpu sse sse2 avx", Map.of("MTC_NATIVE", "onednn"));
        assertEquals(2, missing.rc());
        assertTrue(missing.stderr().startsWith("error: MTC_NATIVE=onednn needs the CPU flags avx2 fma;"), missing.stderr());
    }

    @Test
    void theLauncherUsesTheChoiceAndRefusesABadOverride() throws Exception {
        String mtc = Files.readString(Path.of("mtc"));
        assertTrue(mtc.contains(". \"$ROOT/scripts/native-choice.sh\""), "./mtc sources the choice");
        assertTrue(mtc.contains("-Dorg.bytedeco.javacpp.platform.extension=$MTC_ND4J_EXTENSION"));
    }
}
