package org.mtcompress;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the project and the read-only {@code ../shared} folder beside the checkout. */
public final class TestPaths {
    private TestPaths() {
    }

    /** The project's root folder (Maven runs tests there). */
    public static Path projectRoot() {
        return Path.of("").toAbsolutePath();
    }

    /** {@code ../shared}, or the folder named by the system property {@code mtc.shared}. */
    public static Path shared() {
        String prop = System.getProperty("mtc.shared");
        Path p = prop != null ? Path.of(prop) : projectRoot().resolveSibling("shared");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("tests need ../shared beside the checkout (looked at " + p + ")");
        }
        return p;
    }
}
