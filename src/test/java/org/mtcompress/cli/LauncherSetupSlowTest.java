package org.mtcompress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;

/**
 * The first command does its own set-up: {@code ./mtc} learning a vocabulary without {@code spm_train} on the PATH
 * installs Debian's sentencepiece where it may, in one announced line, and otherwise stops with one line naming the
 * command to run and exit code 2. The launcher runs for real (after {@code mvn package}) on a PATH that is the
 * system's minus {@code spm_train}, {@code apt-get} and {@code sudo}; the installing case puts a stand-in
 * {@code apt-get} (and {@code sudo}, for a non-root user) on that PATH which links the real {@code spm_train} in.
 * Its output is clean: the libraries' log lines show only with {@code --verbose}.
 */
@Tag("slow")
class LauncherSetupSlowTest {
    private static final Path ROOT = TestPaths.projectRoot();
    private static final Set<String> HIDDEN = Set.of("spm_train", "apt-get", "sudo");

    @TempDir
    Path tmp;

    /** A folder of links to every program on the system PATH except {@link #HIDDEN}. */
    private Path pathWithout() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String dir : System.getenv("PATH").split(":")) {
            Path d = Path.of(dir);
            if (dir.isEmpty() || !Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.toList()) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (!HIDDEN.contains(p.getFileName().toString()) && Files.isExecutable(p) && !Files.exists(link)) {
                        Files.createSymbolicLink(link, p);
                    }
                }
            }
        }
        return bin;
    }

    private record Result(int code, String out, String err) {
    }

    private Result mtc(Path bin, String... args) throws Exception {
        for (String built : List.of("target/classes", "target/lib")) {
            assertTrue(Files.isDirectory(ROOT.resolve(built)), built + " is missing: this test runs after `mvn package`");
        }
        // the package phase has just built target/ from these sources: tell the launcher so it does not rebuild
        Files.writeString(ROOT.resolve("target/.mtc-build-stamp"), "");
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("mtc").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        if (bin != null) {
            pb.environment().put("PATH", bin.toString());
        }
        pb.environment().remove("SPM_TRAIN");
        pb.environment().remove("MTC_NO_INSTALL");
        pb.environment().put("MTC_CACHE", tmp.resolve("cache").toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private static String[] vocabCommand() {
        return new String[] {"data", "vocab", "multi30k", "--size", "1000", "--mirror", TestPaths.shared().resolve("multi30k").toString()};
    }

    @Test
    void withoutSpmTrainAndNoWayToInstallItStopsWithOneLineAndExitCode2() throws Exception {
        Result r = mtc(pathWithout(), vocabCommand());
        assertEquals(2, r.code(), r.out() + r.err());
        // stderr: the data fetcher's progress, then the one line of the launcher's own
        List<String> lines = r.err().lines().filter(l -> l.startsWith("mtc")).toList();
        assertEquals(1, lines.size(), "one line from mtc on stderr:\n" + r.err());
        assertTrue(r.err().endsWith(lines.get(0) + "\n"), r.err());
        assertEquals("mtc: error: spm_train (Debian package sentencepiece) is needed to learn the subword vocabulary "
                + "and is not on the PATH; install it with: sudo apt-get install -y --no-install-recommends sentencepiece "
                + "(or set SPM_TRAIN to its path)", lines.get(0));
    }

    @Test
    void withoutSpmTrainButAllowedToInstallItInstallsAnnouncesAndGoesOn() throws Exception {
        Path bin = pathWithout();
        Path spm = Path.of("/usr/bin/spm_train");
        assertTrue(Files.isExecutable(spm), "the real spm_train is needed at " + spm);
        Path log = tmp.resolve("apt-get.log");
        // stand-ins: apt-get "installs" by linking the real spm_train onto the PATH; sudo -n runs its command
        write(bin.resolve("apt-get"), "#!/bin/sh\necho \"apt-get $*\" >> " + log + "\n"
                + "case \"$*\" in *install*sentencepiece*) ln -sf " + spm + " " + bin.resolve("spm_train") + " ;; esac\n");
        write(bin.resolve("sudo"), "#!/bin/sh\n[ \"$1\" = -n ] && shift\nexec \"$@\"\n");
        Result r = mtc(bin, vocabCommand());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("mtc")).toList();
        assertEquals(1, lines.size(), "one line from mtc on stderr, the announcement:\n" + r.err());
        assertTrue(lines.get(0).startsWith("mtc: spm_train is missing: installing Debian's sentencepiece (")
                && lines.get(0).contains("apt-get install -y --no-install-recommends sentencepiece"), lines.get(0));
        assertTrue(Files.readString(log).contains("install -y -qq --no-install-recommends sentencepiece"), Files.readString(log));
        assertTrue(r.out().contains("vocabulary: ") && r.out().contains("1000 pieces"), r.out());
    }

    @Test
    void libraryLogLinesShowOnlyWithVerbose() throws Exception {
        // a training step builds SameDiff graphs, where ND4J logs "Duplicate TF op mapping found for op ..."
        Result quiet = mtc(null, "bench", "train", "--sizes", "tiny", "--steps", "1");
        assertEquals(0, quiet.code(), quiet.out() + quiet.err());
        assertEquals("", quiet.err(), "stderr of a normal run");
        assertTrue(quiet.out().contains("tiny"), quiet.out());
        assertTrue(quiet.out().lines().noneMatch(l -> l.contains("org.nd4j") || l.contains("WARN")), quiet.out());

        Result verbose = mtc(null, "bench", "train", "--sizes", "tiny", "--steps", "1", "--verbose");
        assertEquals(0, verbose.code(), verbose.out() + verbose.err());
        assertTrue(verbose.err().contains("Duplicate TF op mapping found for op"), verbose.err());
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
