package org.mtcompress.util;

/**
 * An error caused by the user's input (a config, a file, a flag): the CLI prints its one-line message
 * without a stack trace and exits with {@link #exitCode()}.
 */
public class MtcException extends RuntimeException {
    /** Exit code for bad input (configs, flags, files). */
    public static final int BAD_INPUT = 2;

    private final int exitCode;

    public MtcException(String message) {
        this(message, BAD_INPUT, null);
    }

    public MtcException(String message, Throwable cause) {
        this(message, BAD_INPUT, cause);
    }

    public MtcException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
