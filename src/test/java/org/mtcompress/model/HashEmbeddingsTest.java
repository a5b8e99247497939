package org.mtcompress.model;

import org.junit.jupiter.api.Test;
import org.mtcompress.data.Vocabulary;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashEmbeddingsTest {

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** A fixed list of pieces as a vocabulary (only what the table needs). */
    private record ListVocabulary(List<String> pieces) implements Vocabulary {
        public int size() {
            return pieces.size();
        }

        public int padId() {
            return 0;
        }

        public int unkId() {
            return 1;
        }

        public int bosId() {
            return 2;
        }

        public int eosId() {
            return 3;
        }

        public int[] encode(String text) {
            throw new UnsupportedOperationException();
        }

        public String decode(int[] ids) {
            throw new UnsupportedOperationException();
        }

        public String piece(int id) {
            return pieces.get(id);
        }

        public String contentHash() {
            return "test";
        }
    }

    @Test
    void deterministicGivenTheSeedAndEqualForEqualStrings() {
        HashEmbeddings a = new HashEmbeddings(96, 7);
        HashEmbeddings b = new HashEmbeddings(96, 7);
        assertArrayEquals(a.vector("▁Haus"), b.vector("▁Haus"));
        assertArrayEquals(a.vector("▁Haus"), a.vector(new String("▁Haus".toCharArray())));
        assertFalse(java.util.Arrays.equals(a.vector("▁Haus"), new HashEmbeddings(96, 8).vector("▁Haus")));
        assertFalse(java.util.Arrays.equals(a.vector("▁Haus"), a.vector("▁Hause")));
    }

    @Test
    void stringsSharingNgramsAreCloserThanUnrelatedOnes() {
        HashEmbeddings h = new HashEmbeddings(256, 42);
        double related = cosine(h.vector("▁translation"), h.vector("▁translations"));
        double stem = cosine(h.vector("▁Haus"), h.vector("▁Hauses"));
        double unrelated = cosine(h.vector("▁translation"), h.vector("▁xyzq"));
        double unrelated2 = cosine(h.vector("▁Haus"), h.vector("bkj"));
        assertTrue(related > 0.8, "related " + related);
        assertTrue(stem > 0.6, "stem " + stem);
        assertTrue(related > unrelated + 0.3, related + " vs " + unrelated);
        assertTrue(stem > unrelated2 + 0.3, stem + " vs " + unrelated2);
        // pieces with no character in common are nearly orthogonal
        assertTrue(Math.abs(cosine(h.vector("abc"), h.vector("xyz"))) < 0.3);
    }

    @Test
    void eachNgramSizeFillsItsOwnPartOfTheDimensions() {
        HashEmbeddings h = new HashEmbeddings(100, 1); // parts 34, 33, 33
        assertEquals(0, h.partStart(1));
        assertEquals(34, h.partStart(2));
        assertEquals(67, h.partStart(3));
        assertEquals(100, h.partStart(4));
        float[] v = h.vector("a"); // one character: each part holds one unit vector
        for (int n = 1; n <= 3; n++) {
            double norm = 0;
            for (int k = h.partStart(n); k < h.partStart(n + 1); k++) {
                norm += v[k] * v[k];
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5, "part " + n);
        }
        // "aa": both 1-grams are "a", so the 1-gram part is the same as for "a"
        float[] aa = h.vector("aa");
        for (int k = 0; k < 34; k++) {
            assertEquals(v[k], aa[k], 1e-6);
        }
        assertArrayEquals(new float[100], h.vector(""));
    }

    @Test
    void tableStacksTheVectorsOfThePieces() {
        List<String> pieces = List.of("<pad>", "<unk>", "<s>", "</s>", "▁der", "▁die", "n", "ung");
        float[] t = HashEmbeddings.table(new ListVocabulary(pieces), 48, 3);
        HashEmbeddings h = new HashEmbeddings(48, 3);
        assertEquals(pieces.size() * 48, t.length);
        for (int i = 0; i < pieces.size(); i++) {
            assertArrayEquals(h.vector(pieces.get(i)), java.util.Arrays.copyOfRange(t, i * 48, (i + 1) * 48));
        }
        assertThrows(IllegalArgumentException.class, () -> new HashEmbeddings(2, 0));
    }
}
