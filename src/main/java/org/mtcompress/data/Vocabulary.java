package org.mtcompress.data;

/**
 * A joint source/target subword vocabulary. Ids are dense in {@code [0, size())}; the four special ids are
 * fixed by the implementation. {@code decode(encode(s))} must give back {@code s} exactly.
 */
public interface Vocabulary {
    int size();

    int padId();

    int unkId();

    int bosId();

    int eosId();

    /** Subword ids of one sentence, without BOS/EOS. */
    int[] encode(String text);

    /** The sentence for {@code ids}; special ids (pad, bos, eos) are skipped. */
    String decode(int[] ids);

    /** The surface string of one id (for hash embeddings and debugging). */
    String piece(int id);

    /** A hash of the vocabulary's content, for cache keys and provenance. */
    String contentHash();
}
