package org.mtcompress.util;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One root seed, split per component: each component (weight init, data shuffling, dropout, a compressor)
 * gets {@code derive(root, "component")}, so adding a component never changes another's random stream.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed for {@code component}, derived from {@code root} by SHA-256 (first 8 bytes, made non-negative). */
    public static long derive(long root, String component) {
        var md = Hashing.sha256();
        md.update(ByteBuffer.allocate(Long.BYTES).putLong(root).array());
        md.update(component.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(md.digest()).getLong() & Long.MAX_VALUE;
    }
}
