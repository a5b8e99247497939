package org.mtcompress.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Default of a config field, written as YAML (a scalar such as {@code "0.1"}, {@code "[]"}, {@code "{}"},
 * or {@code "~"} for "absent"). A field without {@code @Default} is required. A nested record field without
 * {@code @Default} defaults to that record with all its own defaults when every one of its fields has one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
