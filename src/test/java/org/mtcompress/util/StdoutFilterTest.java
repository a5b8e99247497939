package org.mtcompress.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StdoutFilterTest {
    @Test
    void dropsOnlyLinesWithThePrefix() {
        PrintStream saved = System.out;
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        System.setOut(new PrintStream(seen, true, StandardCharsets.UTF_8));
        try {
            StdoutFilter.dropping("Added differentiated op", () -> {
                System.out.println("Added differentiated op matmul");
                System.out.println("keep me");
                System.out.print("Added differentiated op x\nlast");
            });
        } finally {
            System.setOut(saved);
        }
        assertEquals("keep me\nlast", seen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }
}
