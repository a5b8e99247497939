package org.mtcompress.config;

/**
 * Where a config value came from: a file and 1-based line, a command-line override, or a field default.
 * Its {@code toString()} is the prefix of every config error message.
 */
public record Source(String origin, int line) {
    public static Source file(String file, int line) {
        return new Source(file, line);
    }

    public static Source override(String text) {
        return new Source("command-line override '" + text + "'", 0);
    }

    public static Source defaultOf(String field) {
        return new Source("default of " + field, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? origin + ":" + line : origin;
    }
}
