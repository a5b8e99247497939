package org.mtcompress.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native code the launcher chooses for this CPU (scripts/native-choice.sh) computes what the generic build
 * computes: the small model's forward outputs and every gradient agree within 1e-5 norm-wise relative error
 * ({@code ||chosen - generic|| / ||generic||}, per tensor). Natives load once per process, so each side runs in its
 * own child JVM ({@link NativeNumericsProbe}). The probe keeps every ReLU input far from 0: otherwise a last-bit
 * difference flips a unit now and then, and the gradients below it differ by ~1e-4 whatever the kernels.
 */
@Tag("slow")
class NativeNumericsSlowTest {
    static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    @Test
    void chosenKernelsMatchTheGenericKernelsOnTheSmallModel() throws Exception {
        Map<String, String> choice = choice();
        String ext = choice.get("nd4j_extension");
        Map<String, String> genericEnv = Map.of();
        Map<String, String> chosenEnv = choice.get("openblas_coretype").isEmpty() ? Map.of()
                : Map.of("OPENBLAS_CORETYPE", choice.get("openblas_coretype"));
        Probe generic = probe("generic", "", genericEnv);
        Probe chosen = probe("chosen", ext, chosenEnv);
        assertTrue(generic.library().contains("/linux-x86_64/libnd4jcpu"), generic.library());
        assertTrue(chosen.library().contains("/linux-x86_64" + ext + "/libnd4jcpu"), chosen.library());
        assertEquals(generic.tensors().keySet(), chosen.tensors().keySet());
        assertTrue(generic.tensors().size() > 50, "tensors compared: " + generic.tensors().size());
        List<String> worst = new ArrayList<>();
        double max = 0;
        for (Map.Entry<String, float[]> e : generic.tensors().entrySet()) {
            float[] g = e.getValue(), c = chosen.tensors().get(e.getKey());
            assertEquals(g.length, c.length, e.getKey());
            double diff = 0, norm = 0;
            for (int i = 0; i < g.length; i++) {
                diff += ((double) c[i] - g[i]) * ((double) c[i] - g[i]);
                norm += (double) g[i] * g[i];
            }
            if (e.getKey().endsWith(".k_proj.bias")) {
                // its exact gradient is zero (the softmax ignores a shift shared by all keys): both builds return
                // rounding noise, so its difference is measured against the gradient of the layer's key weights
                float[] w = generic.tensors().get(e.getKey().replace(".bias", ".weight"));
                norm = 0;
                for (float v : w) {
                    norm += (double) v * v;
                }
            }
            assertTrue(norm > 0, e.getKey() + " is all zero");
            double rel = Math.sqrt(diff / norm);
            max = Math.max(max, rel);
            if (rel > TOLERANCE) {
                worst.add(e.getKey() + ": " + rel);
            }
        }
        assertTrue(worst.isEmpty(), "relative error above " + TOLERANCE + " (" + choice.get("summary") + "): " + worst);
        System.out.printf("native numerics: %s vs generic, largest relative error %.2e%n", choice.get("summary"), max);
    }

    private record Probe(String library, Map<String, float[]> tensors) {
    }

    private static Map<String, String> choice() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/native-choice.sh", "/proc/cpuinfo");
        pb.environment().remove("MTC_NATIVE");
        pb.environment().remove("OPENBLAS_CORETYPE");
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        Map<String, String> m = new LinkedHashMap<>();
        out.lines().forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return m;
    }

    private Probe probe(String name, String extension, Map<String, String> env) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".bin");
        Path log = dir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx2g", "-Dorg.bytedeco.javacpp.platform.extension=" + extension,
                "-cp", System.getProperty("java.class.path"), NativeNumericsProbe.class.getName(), out.toString());
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        int rc = pb.start().waitFor();
        assertEquals(0, rc, name + " probe failed: " + Files.readString(log));
        Map<String, float[]> tensors = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(out))) {
            String library = in.readUTF();
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                String key = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                tensors.put(key, v);
            }
            return new Probe(library, tensors);
        }
    }
}
