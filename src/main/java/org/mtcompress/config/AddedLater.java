package org.mtcompress.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A config key added after configs were already hashed. Baselines and run folders are found by their config's
 * hash, so a new key would otherwise change every hash and orphan every trained baseline. While such a key has its
 * {@link Default}, it is left out of the hash (it still appears in the resolved config); any other value is hashed
 * like every other key. Keys that existed from the start are always hashed, so changing their default does
 * change hashes, as it should.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface AddedLater {
    /** When the key was added (for the reader). */
    String value();
}
