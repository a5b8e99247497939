package org.mtcompress.util;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.jar.JarFile;
import java.util.Map;
import java.util.Properties;

/** Facts about the machine, the JVM and the libraries, for {@code mtc env} and every run's provenance. */
public final class MachineInfo {
    /**
     * Libraries whose versions are recorded: group:artifact and a class that lives in its jar. The version is
     * read from that jar itself, because shaded jars (nd4j's jackson) carry other libraries' metadata too.
     */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("org.nd4j:nd4j-native", "org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        LIBRARIES.put("org.nd4j:nd4j-api", "org.nd4j.linalg.factory.Nd4j");
        LIBRARIES.put("org.deeplearning4j:deeplearning4j-nn", "org.deeplearning4j.nn.conf.NeuralNetConfiguration");
        LIBRARIES.put("org.bytedeco:openblas", "org.bytedeco.openblas.global.openblas");
        LIBRARIES.put("org.bytedeco:javacpp", "org.bytedeco.javacpp.Loader");
        LIBRARIES.put("org.apache.commons:commons-math3", "org.apache.commons.math3.util.FastMath");
        LIBRARIES.put("tech.tablesaw:tablesaw-core", "tech.tablesaw.api.Table");
        LIBRARIES.put("org.jfree:jfreechart", "org.jfree.chart.JFreeChart");
        LIBRARIES.put("info.picocli:picocli", "picocli.CommandLine");
        LIBRARIES.put("org.yaml:snakeyaml", "org.yaml.snakeyaml.Yaml");
        LIBRARIES.put("com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper");
        LIBRARIES.put("ai.djl.sentencepiece:sentencepiece", "ai.djl.sentencepiece.SpTokenizer");
    }

    private MachineInfo() {
    }

    /** Java, OS and CPU facts (cheap: no native backend is loaded). */
    public static Map<String, Object> system() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("java_vm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpu_model", cpuModel());
        m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_total_mb", totalMemoryMb());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        // heap and GC flags change peak memory and speed (see ./mtc), so they belong with the measurement
        m.put("jvm_memory_flags", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:")).toList());
        m.put("hostname", hostname());
        m.put("native_code", nativeCode());
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS", "OPENBLAS_THREAD_TIMEOUT",
                "OPENBLAS_CORETYPE", "MALLOC_MMAP_MAX_", "MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MTC_CACHE", "MTC_NATIVE")) {
            String v = System.getenv(k);
            if (v != null) {
                env.put(k, v);
            }
        }
        m.put("env", env);
        return m;
    }

    /**
     * The native code the launcher chose (scripts/native-choice.sh): the ND4J build (JavaCPP's platform extension)
     * and OpenBLAS's kernel type, with how they were chosen. Recorded because they change speed and the last bits
     * of every result.
     */
    static Map<String, Object> nativeCode() {
        Map<String, Object> m = new LinkedHashMap<>();
        String choice = System.getenv("MTC_NATIVE_CHOICE");
        m.put("choice", choice != null ? choice : "not chosen by ./mtc");
        String ext = System.getProperty("org.bytedeco.javacpp.platform.extension");
        m.put("nd4j_build", ext == null ? "not set (JavaCPP picks the first build it finds)" : "linux-x86_64" + ext);
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        m.put("openblas_coretype", coretype != null ? coretype : "detected by OpenBLAS");
        return m;
    }

    /** The ND4J backend's own report: backend class, BLAS vendor, OpenMP threads (loads the native backend). */
    public static Map<String, Object> backend() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            var nd4j = org.nd4j.linalg.factory.Nd4j.class;
            Object backend = nd4j.getMethod("getBackend").invoke(null);
            m.put("backend", backend.getClass().getSimpleName());
            Object executioner = nd4j.getMethod("getExecutioner").invoke(null);
            Properties p = (Properties) executioner.getClass().getMethod("getEnvironmentInformation").invoke(executioner);
            for (String k : List.of("blas.vendor", "omp.threads", "cores", "os", "backend")) {
                if (p.containsKey(k)) {
                    m.put("nd4j." + k, String.valueOf(p.get(k)));
                }
            }
            Object environment = nd4j.getMethod("getEnvironment").invoke(null);
            m.put("nd4j.max_master_threads", environment.getClass().getMethod("maxMasterThreads").invoke(environment));
            m.put("nd4j.max_threads", environment.getClass().getMethod("maxThreads").invoke(environment));
            // which libnd4jcpu JavaCPP actually loaded (its path names the build)
            org.bytedeco.javacpp.Loader.getLoadedLibraries().forEach((lib, path) -> {
                if (path != null && path.endsWith("/libnd4jcpu.so")) {
                    m.put("nd4j.native_library", path);
                }
            });
        } catch (ReflectiveOperationException | LinkageError e) {
            m.put("backend_error", e.toString());
        }
        return m;
    }

    /** Versions of the project's main libraries, read from the jar each one's classes were loaded from. */
    public static Map<String, String> libraries() {
        Map<String, String> m = new LinkedHashMap<>();
        LIBRARIES.forEach((ga, className) -> {
            String v = jarVersion(ga, className);
            if (v != null) {
                m.put(ga, v);
            }
        });
        return m;
    }

    private static String jarVersion(String ga, String className) {
        try {
            Class<?> c = Class.forName(className, false, MachineInfo.class.getClassLoader());
            var src = c.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path jar = Path.of(src.getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            String[] p = ga.split(":");
            try (JarFile jf = new JarFile(jar.toFile())) {
                var entry = jf.getEntry("META-INF/maven/" + p[0] + "/" + p[1] + "/pom.properties");
                if (entry != null) {
                    try (InputStream in = jf.getInputStream(entry)) {
                        Properties props = new Properties();
                        props.load(in);
                        return props.getProperty("version");
                    }
                }
            }
            String name = jar.getFileName().toString();
            return name.startsWith(p[1] + "-") ? name.substring(p[1].length() + 1).replaceFirst("\\.jar$", "") : name;
        } catch (ReflectiveOperationException | LinkageError | IOException | java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Highest VmHWM seen before the last {@link #restartRssHighWaterMark}, in kB. */
    private static long peakBeforeRestartKb = -1024;

    /** Peak resident memory of this process in MB (VmHWM: includes ND4J's off-heap arrays), or -1. */
    public static synchronized long peakRssMb() {
        return Math.max(procStatusKb("VmHWM:"), peakBeforeRestartKb) / 1024;
    }

    /**
     * Peak resident memory in MB since the last {@link #restartRssHighWaterMark} (since the start of the process
     * if there was none), or -1.
     */
    public static long rssHighWaterMarkMb() {
        return procStatusKb("VmHWM:") / 1024;
    }

    /**
     * Restarts the kernel's high-water mark of resident memory at the current resident size (writes 5 to
     * {@code /proc/self/clear_refs}), so that {@link #rssHighWaterMarkMb} measures one phase of a run;
     * {@link #peakRssMb} keeps reporting the whole process. False where the file cannot be written.
     */
    public static synchronized boolean restartRssHighWaterMark() {
        long before = procStatusKb("VmHWM:");
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            return false;
        }
        peakBeforeRestartKb = Math.max(peakBeforeRestartKb, before);
        return true;
    }

    /** Current resident memory in MB, or -1. */
    public static long rssMb() {
        return procStatusKb("VmRSS:") / 1024;
    }

    private static long procStatusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: unknown
        }
        return -1024;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long totalMemoryMb() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() >> 20;
        }
        return -1;
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
