package org.mtcompress.config;

/** Chooses the record a {@link ChosenBy} mapping binds to from the text of its choosing key. */
public interface RecordChooser {
    /**
     * The record type for {@code tag}.
     *
     * @throws IllegalArgumentException for an unknown tag, with a message that lists the known ones
     */
    Class<?> choose(String tag);
}
