package org.mtcompress.config;

import org.mtcompress.util.MtcException;

/** A config error: one line that starts with the file and line, names the key, and ends the program with code 2. */
public final class ConfigException extends MtcException {
    public ConfigException(Source where, String message) {
        super(where + ": " + message);
    }
}
