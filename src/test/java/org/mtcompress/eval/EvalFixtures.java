package org.mtcompress.eval;

import org.mtcompress.TestPaths;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Test inputs shared by the eval tests: real WMT files from ../shared and a deterministic perturbation. */
final class EvalFixtures {
    private EvalFixtures() {
    }

    static Path newstest(String name) {
        return TestPaths.shared().resolve("wmt/newstest").resolve(name);
    }

    static List<String> read(String newstestName) {
        return LineFiles.read(newstest(newstestName));
    }

    /**
     * The noise of scripts/expected_values.py's {@code perturb(line, ln, k)}: drop word i when (i + ln) % k == 0,
     * lower-case it when (3i + ln) % 11 == 0, swap the first two words of every fifth line.
     */
    static String perturb(String line, int ln, int k) {
        String[] words = line.split(" ", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if ((i + ln) % k == 0) {
                continue;
            }
            String w = words[i];
            if ((3 * i + ln) % 11 == 0) {
                w = w.toLowerCase(Locale.ROOT);
            }
            out.add(w);
        }
        if (ln % 5 == 0 && out.size() > 2) {
            String t = out.get(0);
            out.set(0, out.get(1));
            out.set(1, t);
        }
        return String.join(" ", out);
    }

    static List<String> perturbAll(List<String> lines, int k) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(perturb(lines.get(i), i, k));
        }
        return out;
    }

    /** The baseline with every {@code every}-th line (from 0) taken from {@code other}. */
    static List<String> mix(List<String> base, List<String> other, int every) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            out.add(i % every == 0 ? other.get(i) : base.get(i));
        }
        return out;
    }
}
