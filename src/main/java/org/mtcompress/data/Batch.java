package org.mtcompress.data;

/**
 * One training or evaluation batch: rows of subword ids padded with the vocabulary's pad id.
 * {@code source[i]} ends with EOS; {@code target[i]} is the reference ending with EOS and without BOS
 * (the model builds its decoder input by shifting in BOS). {@code indices[i]} is the row's position in
 * the corpus it came from, so hypotheses can be put back in order.
 *
 * @param source       [rows][sourceLength] source ids, padded
 * @param target       [rows][targetLength] target ids, padded
 * @param indices      corpus position of each row
 * @param sourceTokens non-pad source ids
 * @param targetTokens non-pad target ids
 */
public record Batch(int[][] source, int[][] target, int[] indices, int sourceTokens, int targetTokens) {
    public int rows() {
        return source.length;
    }
}
