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
