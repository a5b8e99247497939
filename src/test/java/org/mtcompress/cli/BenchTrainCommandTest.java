package org.mtcompress.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTrainCommandTest {
    @Test
    void printsARowOfMeasurementsPerSize() {
        CliTest.Result r = CliTest.run("bench", "train", "--sizes", "tiny", "--steps", "1", "--batch", "4", "--length", "6",
                "--vocab", "50");
        String text = r.out();
        assertEquals(0, r.code(), text);
        String row = text.lines().filter(l -> l.startsWith("tiny")).findFirst().orElseThrow(() -> new AssertionError(text));
        String[] cols = row.trim().split("\\s+");
        assertEquals(7, cols.length, row);
        assertTrue(Double.parseDouble(cols[2]) > 0, row);      // s/step
        assertTrue(Long.parseLong(cols[6]) > 0, row);          // peak RSS MB
    }

    /** --profile: forward and backward op times per type, matrix-product GFLOP/s, time outside ops; also in --out. */
    @Test
    void profilePrintsOpTypesPerPassAndMatrixProductRates(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("profile.md");
        CliTest.Result r = CliTest.run("bench", "train", "--sizes", "tiny", "--steps", "2", "--batch", "4", "--length", "6",
                "--vocab", "50", "--profile", "--out", report.toString());
        String text = r.out();
        assertEquals(0, r.code(), text);
        String summary = text.lines().filter(l -> l.startsWith("profile tiny:")).findFirst()
                .orElseThrow(() -> new AssertionError(text));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("in ops ([0-9.]+) s \\(forward ([0-9.]+), backward "
                + "([0-9.]+)\\), outside ops (-?[0-9.]+) s").matcher(summary);
        assertTrue(m.find(), summary);
        assertTrue(Double.parseDouble(m.group(2)) > 0 && Double.parseDouble(m.group(3)) > 0, summary);
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)), 0.0015);
        // the linear layers run forward and backward, with a matrix-product rate
        String linear = text.lines().filter(l -> l.startsWith("xw_plus_b ")).findFirst().orElseThrow(() -> new AssertionError(text));
        String linearBp = text.lines().filter(l -> l.startsWith("xw_plus_b_bp ")).findFirst().orElseThrow(() -> new AssertionError(text));
        String[] f = linear.trim().split("\\s+"), b = linearBp.trim().split("\\s+");
        assertEquals(32, Double.parseDouble(f[2]), 1e-9, linear);     // forward calls per step: 2 x 6 encoder, 2 x 10 decoder
        assertEquals(0, Double.parseDouble(f[4]), 1e-9, linear);
        assertTrue(Double.parseDouble(b[4]) > 0 && Double.parseDouble(b[2]) == 0, linearBp);
        assertTrue(Double.parseDouble(f[6]) > 0, linear);               // GFLOP/s
        assertTrue(text.contains("matrix products: "), text);
        assertTrue(Files.readString(report).contains("profile tiny:"));
    }

    /**
     * The peer is a stand-in program run by {@code sh} (the real one needs PyTorch, which CI does not install): it
     * checks that it got the model's shape and prints a result line like the real peer's.
     */
    @Test
    void peerRunsOnTheSameShapeAndTheRatioAndReportAreWritten(@TempDir Path dir) throws Exception {
        Path peer = dir.resolve("peer.sh");
        Files.writeString(peer, String.join("\n",
                "case \"$*\" in *'--d-model 128 --heads 4 --ffn 512 --layers 2 --vocab 50 --batch 4 --src-len 6 --tgt-len 6'*) ;;",
                "  *) echo \"unexpected arguments: $*\" >&2; exit 3;; esac",
                "echo 'some log line'",
                "echo '{\"framework\": \"stand-in\", \"target_tokens_per_s\": 0.5}'", ""));
        Path report = dir.resolve("bench.md");
        CliTest.Result r = CliTest.run("bench", "train", "--sizes", "tiny", "--steps", "1", "--batch", "4", "--length", "6",
                "--vocab", "50", "--peer", peer.toString(), "--python", "sh", "--out", report.toString());
        String text = r.out();
        assertEquals(0, r.code(), text);
        String[] cols = text.lines().filter(l -> l.startsWith("tiny")).findFirst().orElseThrow().trim().split("\\s+");
        assertEquals(9, cols.length, text);
        assertEquals(0.5, Double.parseDouble(cols[7]), 0.51, text);   // printed with no decimals
        double ours = Double.parseDouble(cols[3]);
        assertEquals(ours / 0.5, Double.parseDouble(cols[8]), 0.01 * ours / 0.5 + 0.01, text);
        String md = Files.readString(report);
        assertTrue(md.contains("peer tok/s") && md.contains("\"git_commit\""), md);
    }

    @Test
    void aPeerThatFailsIsAOneLineError(@TempDir Path dir) throws Exception {
        Path peer = dir.resolve("peer.sh");
        Files.writeString(peer, "echo 'ModuleNotFoundError: torch' >&2; exit 1\n");
        assertEquals(2, Main.execute("bench", "train", "--sizes", "tiny", "--steps", "1", "--batch", "4", "--length", "6",
                "--vocab", "50", "--peer", peer.toString(), "--python", "sh"));
        assertEquals(2, Main.execute("bench", "train", "--sizes", "tiny", "--peer", dir.resolve("none.py").toString()));
    }

    @Test
    void unknownSizeIsAnError() {
        assertTrue(Main.execute("bench", "train", "--sizes", "huge", "--steps", "1") != 0);
    }
}
