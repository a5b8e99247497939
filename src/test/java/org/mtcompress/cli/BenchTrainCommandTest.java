package org.mtcompress.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTrainCommandTest {
    @Test
    void printsARowOfMeasurementsPerSize() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("bench", "train", "--sizes", "tiny", "--steps", "1", "--batch", "4", "--length", "6",
                    "--vocab", "50");
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        String row = text.lines().filter(l -> l.startsWith("tiny")).findFirst().orElseThrow(() -> new AssertionError(text));
        String[] cols = row.trim().split("\\s+");
        assertEquals(7, cols.length, row);
        assertTrue(Double.parseDouble(cols[2]) > 0, row);      // s/step
        assertTrue(Long.parseLong(cols[6]) > 0, row);          // peak RSS MB
    }

    @Test
    void unknownSizeIsAnError() {
        assertTrue(Main.execute("bench", "train", "--sizes", "huge", "--steps", "1") != 0);
    }
}
