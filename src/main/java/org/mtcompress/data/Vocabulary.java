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

    /** Every piece by id ({@code piece(0) .. piece(size() - 1)}): what hash embeddings are computed from. */
    default java.util.List<String> pieces() {
        java.util.List<String> out = new java.util.ArrayList<>(size());
        for (int id = 0; id < size(); id++) {
            out.add(piece(id));
        }
        return java.util.List.copyOf(out);
    }

    /** A hash of the vocabulary's content, for cache keys and provenance. */
    String contentHash();
}
