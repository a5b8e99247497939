package org.mtcompress.util;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a task while dropping lines of standard output that start with a given prefix.
 *
 * <p>Why: SameDiff 1.0.0-M2.1 prints "Added differentiated op ..." with {@code System.out.println} for every op
 * when it builds a gradient graph (hundreds of lines, no logger to silence). Standard output is swapped for the
 * task's duration, so the task should be the only thing printing then.
 */
public final class StdoutFilter {
    private StdoutFilter() {
    }

    public static void dropping(String prefix, Runnable task) {
        PrintStream original = System.out;
        LineFilter lines = new LineFilter(prefix, original);
        PrintStream filter = new PrintStream(lines, true, StandardCharsets.UTF_8);
        System.setOut(filter);
        try {
            task.run();
        } finally {
            filter.flush();
            System.setOut(original);
            lines.drainRest();
        }
    }

    /** Buffers bytes, and forwards each complete line that does not start with the prefix. */
    private static final class LineFilter extends ByteArrayOutputStream {
        private final String prefix;
        private final PrintStream target;

        LineFilter(String prefix, PrintStream target) {
            this.prefix = prefix;
            this.target = target;
        }

        @Override
        public synchronized void flush() {
            String text = toString(StandardCharsets.UTF_8);
            int end;
            while ((end = text.indexOf('\n')) >= 0) {
                String line = text.substring(0, end + 1);
                if (!line.startsWith(prefix)) {
                    target.print(line);
                }
                text = text.substring(end + 1);
            }
            reset();
            writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        synchronized void drainRest() {
            String rest = toString(StandardCharsets.UTF_8);
            if (!rest.isEmpty() && !rest.startsWith(prefix)) {
                target.print(rest);
            }
            reset();
            target.flush();
        }
    }
}
