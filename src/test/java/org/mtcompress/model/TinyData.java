package org.mtcompress.model;

import org.mtcompress.config.ModelConfig;
import org.mtcompress.data.Batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny synthetic translation data for model tests: ids 4.. are words, 0 pad, 2 BOS, 3 EOS. */
public final class TinyData {
    public static final int PAD = 0, BOS = 2, EOS = 3;

    private TinyData() {
    }

    /** A micro Transformer shape for gradient checks. */
    public static ModelConfig micro(boolean preLn, boolean tied) {
        return new ModelConfig(1, 1, 2, 8, 16, 0.0, preLn, tied, 32, ModelConfig.Embedding.DENSE);
    }

    /**
     * {@code n} pairs where the target is the source reversed with every id shifted by one (a learnable
     * "translation"), lengths 2..maxLen, padded into batches of {@code rows}.
     */
    public static List<Batch> reversal(int n, int rows, int vocab, int maxLen, long seed) {
        Random r = new Random(seed);
        List<int[]> src = new ArrayList<>(), tgt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 2 + r.nextInt(maxLen - 1);
            int[] s = new int[len], t = new int[len];
            for (int j = 0; j < len; j++) {
                s[j] = 4 + r.nextInt(vocab - 5);
            }
            for (int j = 0; j < len; j++) {
                t[j] = s[len - 1 - j] + 1;
            }
            src.add(s);
            tgt.add(t);
        }
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < n; start += rows) {
            int end = Math.min(n, start + rows);
            out.add(batch(src.subList(start, end), tgt.subList(start, end), start));
        }
        return out;
    }

    /** Pads and appends EOS. */
    public static Batch batch(List<int[]> src, List<int[]> tgt, int firstIndex) {
        int b = src.size();
        int s = src.stream().mapToInt(a -> a.length).max().orElse(0) + 1;
        int t = tgt.stream().mapToInt(a -> a.length).max().orElse(0) + 1;
        int[][] S = new int[b][s], T = new int[b][t];
        int[] idx = new int[b];
        int st = 0, tt = 0;
        for (int i = 0; i < b; i++) {
            System.arraycopy(src.get(i), 0, S[i], 0, src.get(i).length);
            S[i][src.get(i).length] = EOS;
            System.arraycopy(tgt.get(i), 0, T[i], 0, tgt.get(i).length);
            T[i][tgt.get(i).length] = EOS;
            st += src.get(i).length + 1;
            tt += tgt.get(i).length + 1;
            idx[i] = firstIndex + i;
        }
        return new Batch(S, T, idx, st, tt);
    }
}
