package org.mtcompress.model;

import org.mtcompress.data.Vocabulary;

/**
 * Dynamic hash embeddings after EELBERT (Cohn et al., EMNLP 2023): the input embedding of a subword is
 * computed from its characters, so the model stores no embedding table at all.
 *
 * <p>For each n-gram size n = 1, 2, 3 the piece's character n-grams (over Unicode code points, the
 * SentencePiece word marker {@code ▁} included) are hashed with a seeded polynomial rolling hash; each hash
 * seeds a fixed pseudo-random vector (components uniform in [-1, 1), SplitMix64), which is normalised to unit
 * length; the vectors of one size are averaged. The {@code D} output dimensions are partitioned between the
 * sizes ({@code D/3} each, the remainder going to the smaller n), so dimensions {@code [start(n), start(n+1))}
 * carry the average of the n-grams. A piece shorter than n contributes the piece itself as its single n-gram of
 * that size, so no part is left empty; the empty string maps to zeros.
 *
 * <p>Equal strings give equal vectors; strings that share n-grams share averaged components and so have a
 * larger cosine than unrelated ones. Everything is determined by {@code (dim, seed)}: size accounting counts
 * zero table bits (only an optional trainable projection after it would count).
 */
public final class HashEmbeddings {
    /** Largest n-gram size. */
    public static final int MAX_N = 3;
    private static final long HASH_BASE = 0x100000001B3L; // odd multiplier of the rolling hash

    private final int dim;
    private final long seed;
    private final int[] start = new int[MAX_N + 1]; // start[n-1]..start[n]: dims of n-grams of size n

    /** Embeddings of {@code dim} dimensions (at least {@link #MAX_N}), determined by {@code seed}. */
    public HashEmbeddings(int dim, long seed) {
        if (dim < MAX_N) {
            throw new IllegalArgumentException("hash embeddings need dim >= " + MAX_N + ", got " + dim);
        }
        this.dim = dim;
        this.seed = seed;
        for (int n = 1; n <= MAX_N; n++) {
            start[n] = start[n - 1] + dim / MAX_N + (n - 1 < dim % MAX_N ? 1 : 0);
        }
    }

    public int dim() {
        return dim;
    }

    public long seed() {
        return seed;
    }

    /** First dimension holding n-grams of size {@code n} (1..3); {@code partStart(4) == dim}. */
    public int partStart(int n) {
        return start[n - 1];
    }

    /** The embedding of {@code piece}. */
    public float[] vector(String piece) {
        float[] out = new float[dim];
        vector(piece, out, 0);
        return out;
    }

    /** Writes the embedding of {@code piece} to {@code out[offset .. offset + dim)}. */
    public void vector(String piece, float[] out, int offset) {
        int[] cps = piece.codePoints().toArray();
        java.util.Arrays.fill(out, offset, offset + dim, 0f);
        if (cps.length == 0) {
            return;
        }
        for (int n = 1; n <= MAX_N; n++) {
            int lo = offset + start[n - 1];
            int width = start[n] - start[n - 1];
            int size = Math.min(n, cps.length);
            int grams = cps.length - size + 1;
            for (int g = 0; g < grams; g++) {
                long h = rollingHash(cps, g, size, n);
                addUnitVector(h, out, lo, width, 1.0 / grams);
            }
        }
    }

    /** The {@code [vocab.size(), dim]} table, row-major: row i is {@code vector(vocab.piece(i))}. */
    public float[] table(Vocabulary vocab) {
        float[] out = new float[Math.multiplyExact(vocab.size(), dim)];
        for (int id = 0; id < vocab.size(); id++) {
            vector(vocab.piece(id), out, id * dim);
        }
        return out;
    }

    /** Shorthand for {@code new HashEmbeddings(dim, seed).table(vocab)}. */
    public static float[] table(Vocabulary vocab, int dim, long seed) {
        return new HashEmbeddings(dim, seed).table(vocab);
    }

    /** Polynomial rolling hash of {@code cps[from .. from+len)}, keyed by the seed and the n-gram size slot. */
    private long rollingHash(int[] cps, int from, int len, int slot) {
        long h = mix(seed ^ (0x9E3779B97F4A7C15L * slot));
        for (int i = from; i < from + len; i++) {
            h = h * HASH_BASE + cps[i] + 1;
        }
        return h * HASH_BASE + len;
    }

    /** Adds {@code weight} times the unit vector seeded by {@code h} to {@code out[lo .. lo + width)}. */
    private static void addUnitVector(long h, float[] out, int lo, int width, double weight) {
        long state = mix(h);
        double[] v = new double[width];
        double norm = 0;
        for (int k = 0; k < width; k++) {
            state += 0x9E3779B97F4A7C15L; // SplitMix64 stream
            double u = (mix(state) >>> 11) * 0x1.0p-53 * 2 - 1;
            v[k] = u;
            norm += u * u;
        }
        if (norm == 0) {
            return;
        }
        double f = weight / Math.sqrt(norm);
        for (int k = 0; k < width; k++) {
            out[lo + k] += (float) (v[k] * f);
        }
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
