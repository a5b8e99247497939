package org.mtcompress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies run one way, down the data flow: cli, bench → experiment (and experiment.sweep) → infer (packed
 * inference over stored forms) → compress → train
 * → model → data → config → util, with eval and report as leaves (they use util only) that any layer above may
 * use. A reference to a project package anywhere in code (an import or a qualified name) counts; comments do
 * not. A scan of the source text is enough here: the project is one module and names packages in full.
 */
class ImportDirectionTest {
    /** Each top-level package's layer: a package may use the ones of lower layers only (and itself). */
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("util", 0),
            Map.entry("eval", 1), Map.entry("report", 1),
            Map.entry("config", 2),
            Map.entry("data", 3),
            Map.entry("model", 4),
            Map.entry("train", 5),
            Map.entry("compress", 6),
            Map.entry("infer", 7),
            Map.entry("experiment", 8),
            Map.entry("bench", 9),
            Map.entry("cli", 10));

    private static final Pattern REF = Pattern.compile("\\borg\\.mtcompress\\.([a-z_]+)\\b");

    /** The references of one file's text that run against the flow, as "file:line: from -> to". */
    static List<String> violations(String from, String file, String text) {
        List<String> out = new ArrayList<>();
        Integer own = LAYER.get(from);
        if (own == null) {
            out.add(file + ": package '" + from + "' has no layer in ImportDirectionTest.LAYER");
            return out;
        }
        boolean inComment = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String code = line;
            if (inComment) {
                int end = code.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                code = code.substring(end + 2);
                inComment = false;
            }
            int start = code.indexOf("/*");
            if (start >= 0) {
                int end = code.indexOf("*/", start + 2);
                inComment = end < 0;
                code = code.substring(0, start) + (end < 0 ? "" : code.substring(end + 2));
            }
            int slashes = code.indexOf("//");
            if (slashes >= 0) {
                code = code.substring(0, slashes);
            }
            Matcher m = REF.matcher(code);
            while (m.find()) {
                String to = m.group(1);
                Integer layer = LAYER.get(to);
                if (!to.equals(from) && (layer == null || layer >= own)) {
                    out.add(file + ":" + (i + 1) + ": " + from + " -> " + to);
                }
            }
        }
        return out;
    }

    @Test
    void noReferenceRunsBackUpTheFlow() throws IOException {
        Path root = TestPaths.projectRoot().resolve("src/main/java/org/mtcompress");
        List<String> bad = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue; // a class in the root package would sit outside every layer
                }
                files++;
                bad.addAll(violations(rel.getName(0).toString(), rel.toString(), Files.readString(f)));
            }
        }
        assertTrue(files > 100, "scanned " + files + " files under " + root);
        assertEquals(List.of(), bad, "references against the flow:\n" + String.join("\n", bad));
    }

    @Test
    void theScanFindsABackReferenceButNotOneInAComment() {
        String text = "package org.mtcompress.model;\n"
                + "import org.mtcompress.data.Vocabulary;\n"
                + "/** Sized by {@link org.mtcompress.compress.SizeReport}. */\n"
                + "/*\n * org.mtcompress.experiment.X\n */\n"
                + "class T { Object o = org.mtcompress.compress.KMeansSpec.of(4); // org.mtcompress.cli.Main\n}\n";
        assertEquals(List.of("T.java:7: model -> compress"), violations("model", "T.java", text));
        assertEquals(List.of("U.java:1: util -> config"),
                violations("util", "U.java", "import org.mtcompress.config.ConfigLoader;"));
        assertEquals(1, violations("newpkg", "N.java", "").size());
    }
}
