package org.mtcompress.data;

import java.nio.file.Path;

/**
 * The cache folder for downloaded corpora, vocabularies and encoded corpora: an explicit {@code --cache DIR}, else
 * {@code $MTC_CACHE}, else {@code ~/.cache/mtcompress}. A data set's files go to {@code CACHE/data/NAME/}.
 */
public final class CacheDirs {
    private CacheDirs() {
    }

    public static Path resolve(Path explicit) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String env = System.getenv("MTC_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "mtcompress");
    }

    /** Where the files of one data set are stored. */
    public static Path dataDir(Path cache, DatasetSpec spec) {
        return cache.resolve("data").resolve(spec.name());
    }
}
