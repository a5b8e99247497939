package org.mtcompress.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The libraries' own log lines (ND4J's start-up messages and warnings such as "Duplicate TF op mapping found")
 * are hidden unless a command line holds {@code --verbose}. They log through SLF4J's simple binding, which reads its
 * level once, when the first logger is made: so this runs before any command touches a library.
 */
final class LibraryLogs {
    static final String FLAG = "--verbose";
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private LibraryLogs() {
    }

    /** Sets the libraries' log level from {@code args} and returns them without {@code --verbose}. */
    static String[] configure(String[] args) {
        List<String> rest = new ArrayList<>();
        boolean verbose = false;
        boolean literal = false;
        for (String a : args) {
            if (!literal && a.equals(FLAG)) {
                verbose = true;
                continue;
            }
            literal |= a.equals("--");
            rest.add(a);
        }
        System.setProperty(LEVEL, verbose ? "info" : "error");
        return rest.toArray(String[]::new);
    }
}
