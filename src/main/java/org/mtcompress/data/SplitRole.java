package org.mtcompress.data;

/** What a split is used for: only {@link #TRAIN} splits are cleaned and used to learn the vocabulary. */
public enum SplitRole {
    TRAIN, VALID, TEST
}
