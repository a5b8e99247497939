package org.mtcompress.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Groups an encoded corpus into length-bucketed batches under a token budget.
 *
 * <p>Rows are sorted by length so that a batch holds sentences of similar length and little padding; a batch takes
 * rows while {@code rows * longestRow <= tokenBudget}, where a row's length is the longer of its source and target
 * (EOS included). Training batches are drawn in a random order fixed by {@code (seed, epoch)}, and rows of equal
 * length are shuffled among themselves first, so two runs with the same seed see exactly the same batches.
 * Evaluation batches keep the length order; {@link Batch#indices()} maps rows back to corpus positions.
 */
public final class Batcher {
    private Batcher() {
    }

    /**
     * Training batches for one epoch. Rows whose source or target (with EOS) is longer than {@code maxLength}
     * are left out; {@code maxLength <= 0} keeps all.
     */
    public static List<Batch> training(EncodedCorpus corpus, Vocabulary vocab, int tokenBudget, int maxLength,
            long seed, int epoch) {
        return training(corpus, vocab.eosId(), vocab.padId(), tokenBudget, maxLength, seed, epoch);
    }

    /** {@link #training(EncodedCorpus, Vocabulary, int, int, long, int)} with explicit EOS and pad ids. */
    public static List<Batch> training(EncodedCorpus corpus, int eos, int pad, int tokenBudget, int maxLength,
            long seed, int epoch) {
        Random rnd = new Random(mix(seed, epoch));
        Integer[] order = new Integer[corpus.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Collections.shuffle(Arrays.asList(order), rnd);
        List<Integer> kept = new ArrayList<>(order.length);
        for (int i : order) {
            if (maxLength <= 0 || (corpus.source()[i].length + 1 <= maxLength && corpus.target()[i].length + 1 <= maxLength)) {
                kept.add(i);
            }
        }
        List<Batch> batches = group(corpus, kept, eos, pad, tokenBudget);
        Collections.shuffle(batches, rnd);
        return batches;
    }

    /** Evaluation batches covering every row once, in length order. */
    public static List<Batch> evaluation(EncodedCorpus corpus, Vocabulary vocab, int tokenBudget) {
        return evaluation(corpus, vocab.eosId(), vocab.padId(), tokenBudget);
    }

    /** {@link #evaluation(EncodedCorpus, Vocabulary, int)} with explicit EOS and pad ids. */
    public static List<Batch> evaluation(EncodedCorpus corpus, int eos, int pad, int tokenBudget) {
        List<Integer> all = new ArrayList<>(corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            all.add(i);
        }
        return group(corpus, all, eos, pad, tokenBudget);
    }

    private static long mix(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int rowLength(EncodedCorpus c, int i) {
        return Math.max(c.source()[i].length, c.target()[i].length) + 1;
    }

    /** Stable sort by length (keeps the given order among equal lengths), then greedy fill under the budget. */
    private static List<Batch> group(EncodedCorpus c, List<Integer> rows, int eos, int pad, int tokenBudget) {
        if (tokenBudget < 1) {
            throw new IllegalArgumentException("tokenBudget must be positive, got " + tokenBudget);
        }
        List<Integer> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Integer.compare(rowLength(c, a), rowLength(c, b)));
        List<Batch> out = new ArrayList<>();
        int start = 0;
        while (start < sorted.size()) {
            int end = start + 1;
            int longest = rowLength(c, sorted.get(start));
            while (end < sorted.size()) {
                int len = Math.max(longest, rowLength(c, sorted.get(end)));
                if ((long) (end - start + 1) * len > tokenBudget) {
                    break;
                }
                longest = len;
                end++;
            }
            out.add(build(c, sorted.subList(start, end), eos, pad));
            start = end;
        }
        return out;
    }

    /** One batch of the given corpus rows: EOS appended to both sides, padded with {@code pad}. */
    public static Batch build(EncodedCorpus c, List<Integer> rows, int eos, int pad) {
        int n = rows.size();
        int sl = 0;
        int tl = 0;
        for (int i : rows) {
            sl = Math.max(sl, c.source()[i].length + 1);
            tl = Math.max(tl, c.target()[i].length + 1);
        }
        int[][] src = new int[n][sl];
        int[][] tgt = new int[n][tl];
        int[] idx = new int[n];
        int st = 0;
        int tt = 0;
        for (int r = 0; r < n; r++) {
            int i = rows.get(r);
            idx[r] = i;
            st += fill(src[r], c.source()[i], eos, pad);
            tt += fill(tgt[r], c.target()[i], eos, pad);
        }
        return new Batch(src, tgt, idx, st, tt);
    }

    private static int fill(int[] row, int[] ids, int eos, int pad) {
        System.arraycopy(ids, 0, row, 0, ids.length);
        row[ids.length] = eos;
        Arrays.fill(row, ids.length + 1, row.length, pad);
        return ids.length + 1;
    }

    /** 1 where {@code ids} holds a token, 0 where it holds padding: the attention/loss mask of a batch side. */
    public static float[][] mask(int[][] ids, int pad) {
        float[][] m = new float[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            m[r] = new float[ids[r].length];
            for (int j = 0; j < ids[r].length; j++) {
                m[r][j] = ids[r][j] == pad ? 0f : 1f;
            }
        }
        return m;
    }
}
