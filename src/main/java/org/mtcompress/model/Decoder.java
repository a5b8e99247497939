package org.mtcompress.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batched beam search (beam 1 is greedy) over a {@link Transformer}: the encoder runs once per batch, then one
 * decoder step per position reads the cached keys and values of each hypothesis's parent (incremental decoding). Hypotheses are ranked by
 * log-probability divided by the GNMT length penalty {@code ((5 + len) / 6)^alpha}; a sentence stops when it
 * has {@code beam} finished hypotheses or reaches {@code source length + 50} tokens.
 */
public final class Decoder {
    private final IncrementalModel model;
    private final int beam;
    private final double alpha;
    private final int maxExtra;

    public Decoder(Transformer model, int beam, double lengthPenalty) {
        this(model, beam, lengthPenalty, 50);
    }

    public Decoder(Transformer model, int beam, double lengthPenalty, int maxExtra) {
        this(sessions(model), beam, lengthPenalty, maxExtra);
    }

    /** Beam search over any incremental model (e.g. the packed plain-Java decoder). */
    public Decoder(IncrementalModel model, int beam, double lengthPenalty) {
        this(model, beam, lengthPenalty, 50);
    }

    public Decoder(IncrementalModel model, int beam, double lengthPenalty, int maxExtra) {
        if (beam < 1) {
            throw new IllegalArgumentException("beam must be >= 1, got " + beam);
        }
        this.model = model;
        this.beam = beam;
        this.alpha = lengthPenalty;
        this.maxExtra = maxExtra;
    }

    /** Translates every source (subword ids without EOS); returns target ids without EOS, in input order. */
    public List<int[]> translate(List<int[]> sources, int sentencesPerBatch) {
        Integer[] order = new Integer[sources.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> sources.get(i).length));
        int[][] out = new int[sources.size()][];
        for (int start = 0; start < order.length; start += sentencesPerBatch) {
            int end = Math.min(order.length, start + sentencesPerBatch);
            List<int[]> chunk = new ArrayList<>();
            for (int i = start; i < end; i++) {
                chunk.add(sources.get(order[i]));
            }
            List<int[]> res = translateBatch(chunk);
            for (int i = start; i < end; i++) {
                out[order[i]] = res.get(i - start);
            }
        }
        return Arrays.asList(out);
    }

    private double penalty(int len) {
        return Math.pow((5.0 + len) / 6.0, alpha);
    }

    /** One hypothesis: its tokens so far (without BOS), summed log-probability, and its row in the decoder cache. */
    private record Hyp(int[] tokens, double logp, int row) {
    }

    List<int[]> translateBatch(List<int[]> sources) {
        int b = sources.size(), eos = model.eosId(), pad = model.padId();
        int s = 0;
        for (int[] x : sources) {
            s = Math.max(s, x.length + 1);
        }
        int[][] src = new int[b][s];
        for (int i = 0; i < b; i++) {
            Arrays.fill(src[i], pad);
            System.arraycopy(sources.get(i), 0, src[i], 0, sources.get(i).length);
            src[i][sources.get(i).length] = eos;
        }
        IncrementalModel.Session session = model.start(src);

        List<List<Hyp>> live = new ArrayList<>();
        List<List<Hyp>> done = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            live.add(new ArrayList<>(List.of(new Hyp(new int[0], 0, i))));
            done.add(new ArrayList<>());
        }
        int limit = Math.min(model.maxLength(), s - 1 + maxExtra);
        for (int t = 1; t <= limit; t++) {
            // rows of this step: every live hypothesis of every unfinished sentence
            List<int[]> rowOf = new ArrayList<>();   // {sentence, hyp index}
            for (int i = 0; i < b; i++) {
                if (done.get(i).size() >= beam) {
                    continue;
                }
                for (int k = 0; k < live.get(i).size(); k++) {
                    rowOf.add(new int[]{i, k});
                }
            }
            if (rowOf.isEmpty()) {
                break;
            }
            int rows = rowOf.size();
            int[] sentence = new int[rows], parent = new int[rows], lastToken = new int[rows];
            for (int r = 0; r < rows; r++) {
                int i = rowOf.get(r)[0];
                Hyp h = live.get(i).get(rowOf.get(r)[1]);
                sentence[r] = i;
                parent[r] = h.row();
                lastToken[r] = t == 1 ? model.bosId() : h.tokens()[t - 2];
            }
            float[] logp = session.step(sentence, parent, lastToken);
            int v = model.vocabSize();
            // expand, sentence by sentence (rows of one sentence are contiguous)
            int r = 0;
            while (r < rows) {
                int i = rowOf.get(r)[0];
                int first = r;
                while (r < rows && rowOf.get(r)[0] == i) {
                    r++;
                }
                List<Hyp> cands = new ArrayList<>();
                for (int q = first; q < r; q++) {
                    Hyp h = live.get(i).get(rowOf.get(q)[1]);
                    // the best 2*beam continuations of each hypothesis are enough to fill the beam
                    int[] top = topK(logp, q * v, v, 2 * beam, pad);
                    for (int w : top) {
                        int[] toks = Arrays.copyOf(h.tokens(), h.tokens().length + 1);
                        toks[toks.length - 1] = w;
                        cands.add(new Hyp(toks, h.logp() + logp[q * v + w], q));
                    }
                }
                cands.sort(Comparator.comparingDouble(h -> -h.logp()));
                List<Hyp> next = new ArrayList<>();
                for (Hyp h : cands) {
                    if (next.size() >= beam) {
                        break;
                    }
                    boolean end = h.tokens()[h.tokens().length - 1] == eos || t == limit;
                    if (end) {
                        if (done.get(i).size() < beam) {
                            done.get(i).add(h);
                        }
                    } else {
                        next.add(h);
                    }
                }
                live.set(i, next);
                if (next.isEmpty()) {
                    while (done.get(i).size() < beam) {
                        done.get(i).add(new Hyp(new int[]{eos}, -1e9, -1));
                    }
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            List<Hyp> fin = new ArrayList<>(done.get(i));
            if (fin.isEmpty()) {
                fin.addAll(live.get(i));
            }
            Hyp best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (Hyp h : fin) {
                double sc = h.logp() / penalty(h.tokens().length);
                if (sc > bestScore) {
                    bestScore = sc;
                    best = h;
                }
            }
            int[] toks = best.tokens();
            int n = toks.length > 0 && toks[toks.length - 1] == eos ? toks.length - 1 : toks.length;
            out.add(Arrays.copyOf(toks, n));
        }
        return out;
    }

    /** The SameDiff model's encoder and one-step graph as an {@link IncrementalModel}. */
    private static IncrementalModel sessions(Transformer t) {
        return new IncrementalModel() {
            @Override
            public int vocabSize() {
                return t.vocabSize();
            }

            @Override
            public int padId() {
                return t.padId();
            }

            @Override
            public int bosId() {
                return t.bosId();
            }

            @Override
            public int eosId() {
                return t.eosId();
            }

            @Override
            public int maxLength() {
                return t.config().maxLength();
            }

            @Override
            public Session start(int[][] src) {
                Transformer.Encoded enc = t.encode(src);
                Transformer.DecoderCache[] cache = {t.emptyCache(src.length)};
                return (sentence, parent, lastToken) -> {
                    Transformer.Step step = t.step(enc, cache[0], sentence, parent, lastToken);
                    cache[0] = step.cache();
                    return step.logProbs();
                };
            }
        };
    }

    /** Indices of the k largest values of {@code a[from, from+n)}, skipping {@code skip} (the pad id). */
    static int[] topK(float[] a, int from, int n, int k, int skip) {
        k = Math.min(k, n - 1);
        int[] idx = new int[k];
        float[] val = new float[k];
        Arrays.fill(val, Float.NEGATIVE_INFINITY);
        Arrays.fill(idx, -1);
        for (int j = 0; j < n; j++) {
            if (j == skip) {
                continue;
            }
            float x = a[from + j];
            if (x > val[k - 1]) {
                int p = k - 1;
                while (p > 0 && val[p - 1] < x) {
                    val[p] = val[p - 1];
                    idx[p] = idx[p - 1];
                    p--;
                }
                val[p] = x;
                idx[p] = j;
            }
        }
        int found = 0;
        while (found < k && idx[found] >= 0) {
            found++;
        }
        if (found == 0) {
            throw new IllegalStateException("every next-token log-probability is NaN or -infinity: the model's "
                    + "parameters are not finite (training diverged?)");
        }
        return found == k ? idx : Arrays.copyOf(idx, found);
    }
}
