package org.mtcompress.model;

/**
 * A model that decodes one position at a time over cached state: what {@link Decoder}'s beam search runs on. The
 * SameDiff {@link Transformer} is one; the plain-Java decoder over a packed model's stored forms
 * ({@code org.mtcompress.infer.PackedModel}) is another.
 */
public interface IncrementalModel {
    int vocabSize();

    int padId();

    int bosId();

    int eosId();

    /** Longest source or target sequence in tokens. */
    int maxLength();

    /** Runs the encoder over padded sources [B, S] (EOS included) and returns the decoding state of that batch. */
    Session start(int[][] src);

    /** The decoding state of one batch: the encoder's output and the decoder's key/value cache. */
    interface Session {
        /**
         * Decodes one position for every row: row r continues the hypothesis that was row {@code parent[r]} of the
         * previous step (its own sentence's row {@code sentence[r]} at the first step), translates sentence
         * {@code sentence[r]} and feeds {@code lastToken[r]}. Returns next-token log-probabilities [rows * V].
         */
        float[] step(int[] sentence, int[] parent, int[] lastToken);
    }
}
