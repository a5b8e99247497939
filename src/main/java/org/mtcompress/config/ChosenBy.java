package org.mtcompress.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config type (an interface) whose mapping binds to one of several records, chosen by the text of one of
 * its keys: a compressor section is bound to the settings record of the compressor its {@code name:} names, so
 * each compressor's keys, types and ranges are checked strictly. Optionally, {@code use: NAME} in the mapping
 * starts from the preset file {@code <presets>/NAME.yaml} (found in the nearest such folder above the file that
 * says {@code use:}), with the mapping's other keys as overrides.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ChosenBy {
    /** Maps the key's text to a record type; needs a public no-argument constructor. */
    Class<? extends RecordChooser> value();

    /** The key whose text chooses the record. */
    String key() default "name";

    /** Folder of presets that {@code use:} names, relative to a project root; empty: no presets. */
    String presets() default "";
}
