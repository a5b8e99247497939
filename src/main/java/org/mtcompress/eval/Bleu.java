package org.mtcompress.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU exactly as sacreBLEU 2.x computes it (same tokenizers, clipping against the per-n-gram maximum over
 * references, closest reference length with ties to the shorter, brevity penalty, smoothing {@code exp}
 * (default), {@code floor}, {@code add-k}, {@code none}, optional effective order for sentence BLEU).
 *
 * <p>Segment statistics are {@code [hyp_len, ref_len, correct_1..N, total_1..N]}. The fast path maps the tokens
 * of one segment (hypothesis and its references) to small local ids and packs each n-gram into a long
 * (16 bits per token, so up to 4 tokens), then counts clipped matches by sorting; {@link #segmentReference} is
 * the plain map-of-n-grams version it is tested against and falls back to (more than 65,535 distinct tokens in
 * one segment, or an order above 4). Instances are not thread-safe (they reuse buffers).
 */
public final class Bleu implements Metric {

    /** Smoothing methods (Chen and Cherry 2014), named as sacreBLEU names them. */
    public enum Smooth {
        NONE("none", null), FLOOR("floor", 0.1), ADD_K("add-k", 1.0), EXP("exp", null);

        private final String id;
        private final Double defaultValue;

        Smooth(String id, Double defaultValue) {
            this.id = id;
            this.defaultValue = defaultValue;
        }

        /** The name used on the command line and in the signature. */
        public String id() {
            return id;
        }

        /** The default smoothing value (floor 0.1, add-k 1), or null for methods without one. */
        public Double defaultValue() {
            return defaultValue;
        }

        /** The method called {@code id}; an unknown name lists the known ones. */
        public static Smooth of(String id) {
            for (Smooth s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown smoothing method '" + id + "' (known: none, floor, add-k, exp)");
        }
    }

    /**
     * BLEU settings with sacreBLEU's defaults ({@link #defaults()}).
     *
     * @param tokenize       tokenizer name: 13a, intl, none
     * @param lowercase      lower-case hypotheses and references first
     * @param smooth         smoothing method
     * @param smoothValue    value for floor / add-k, or null for the method's default
     * @param maxOrder       highest n-gram order (4)
     * @param effectiveOrder stop at the highest order with any n-grams (sentence BLEU)
     */
    public record Options(String tokenize, boolean lowercase, Smooth smooth, Double smoothValue, int maxOrder,
                          boolean effectiveOrder) {
        public Options {
            Tokenizer.of(tokenize);
            if (maxOrder < 1) {
                throw new IllegalArgumentException("maxOrder must be at least 1, got " + maxOrder);
            }
        }

        /** sacreBLEU's corpus defaults: 13a, mixed case, exp smoothing, order 4, no effective order. */
        public static Options defaults() {
            return new Options("13a", false, Smooth.EXP, null, 4, false);
        }

        public Options withTokenize(String t) {
            return new Options(t, lowercase, smooth, smoothValue, maxOrder, effectiveOrder);
        }

        public Options withLowercase(boolean lc) {
            return new Options(tokenize, lc, smooth, smoothValue, maxOrder, effectiveOrder);
        }

        public Options withSmooth(Smooth s, Double value) {
            return new Options(tokenize, lowercase, s, value, maxOrder, effectiveOrder);
        }

        public Options withEffectiveOrder(boolean eff) {
            return new Options(tokenize, lowercase, smooth, smoothValue, maxOrder, eff);
        }
    }

    /**
     * A BLEU result with sacreBLEU's fields. {@code counts} and {@code totals} are doubles because add-k smoothing
     * adds its value to them (as sacreBLEU reports them).
     */
    public record BleuScore(double score, double[] counts, double[] totals, double[] precisions, double bp,
                            long sysLen, long refLen) {
        /** hyp_len / ref_len, 0 when there is no reference token. */
        public double ratio() {
            return refLen != 0 ? (double) sysLen / refLen : 0;
        }

        /** sacreBLEU's verbose part: {@code 58.5/33.1/21.0/13.6 (BP = 1.000 ratio = 1.012 hyp_len = ... ref_len = ...)}. */
        public String verbose() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < precisions.length; i++) {
                if (i > 0) {
                    sb.append('/');
                }
                sb.append(PyText.formatFixed(precisions[i], 1));
            }
            sb.append(" (BP = ").append(PyText.formatFixed(bp, 3));
            sb.append(" ratio = ").append(PyText.formatFixed(ratio(), 3));
            sb.append(" hyp_len = ").append(sysLen);
            sb.append(" ref_len = ").append(refLen).append(')');
            return sb.toString();
        }
    }

    private final Options options;
    private final Tokenizer tokenizer;
    private final double smoothValue;
    private final HashMap<String, Integer> localIds = new HashMap<>();
    private final NgramMatcher matcher = new NgramMatcher();

    public Bleu(Options options) {
        this.options = options;
        this.tokenizer = Tokenizer.of(options.tokenize());
        Double v = options.smoothValue() != null ? options.smoothValue() : options.smooth().defaultValue();
        this.smoothValue = v == null ? 0 : v;
    }

    /** BLEU with sacreBLEU's defaults. */
    public Bleu() {
        this(Options.defaults());
    }

    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "BLEU";
    }

    @Override
    public int statsWidth() {
        return 2 + 2 * options.maxOrder();
    }

    @Override
    public Signature signature(int nrefs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("case", options.lowercase() ? "lc" : "mixed");
        m.put("eff", options.effectiveOrder() ? "yes" : "no");
        m.put("tok", tokenizer.signature());
        String smooth = options.smooth().id();
        if (options.smooth().defaultValue() != null) {
            smooth += "[" + PyText.formatFixed(smoothValue, 2) + "]";
        }
        m.put("smooth", smooth);
        return Signature.of(nrefs, m);
    }

    /** sacreBLEU's preprocessing of one segment: optional lower-casing, rstrip, tokenization. */
    public String preprocess(String sentence) {
        String s = options.lowercase() ? PyText.lower(sentence) : sentence;
        return tokenizer.tokenize(PyText.rstrip(s));
    }

    @Override
    public int[][] segmentStatistics(List<String> hyps, List<List<String>> refs) {
        Metric.checkLengths(hyps, refs);
        int n = hyps.size();
        int nr = refs.size();
        int[][] stats = new int[n][];
        String[][] refToks = new String[nr][];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < nr; r++) {
                refToks[r] = tokens(preprocess(refs.get(r).get(i)));
            }
            stats[i] = segment(tokens(preprocess(hyps.get(i))), refToks);
        }
        return stats;
    }

    /** Splits a tokenized segment as Python's {@code str.split()} does. */
    static String[] tokens(String tokenized) {
        return PyText.split(tokenized).toArray(new String[0]);
    }

    /** Statistics of one tokenized segment (fast path, falling back to {@link #segmentReference}). */
    public int[] segment(String[] hyp, String[][] refs) {
        int maxOrder = options.maxOrder();
        if (maxOrder > 4) {
            return segmentReference(hyp, refs, maxOrder);
        }
        localIds.clear();
        int[] h = ids(hyp);
        int[][] r = new int[refs.length][];
        for (int k = 0; k < refs.length; k++) {
            r[k] = ids(refs[k]);
        }
        if (localIds.size() > 0xFFFF) {
            return segmentReference(hyp, refs, maxOrder);
        }
        int[] out = new int[2 + 2 * maxOrder];
        out[0] = hyp.length;
        out[1] = closestRefLength(hyp.length, refs);
        long[][] refKeys = new long[refs.length][];
        boolean single = refs.length == 1;
        for (int n = 1; n <= maxOrder; n++) {
            long[] hk = keys(h, n, !single);
            if (hk.length == 0) {
                continue;
            }
            for (int k = 0; k < refs.length; k++) {
                refKeys[k] = keys(r[k], n, !single);
            }
            out[2 + maxOrder + n - 1] = hk.length;
            // one reference: min-count matching in a hash table; several: max over references on sorted keys
            out[2 + n - 1] = single ? matcher.matches(hk, hk.length, refKeys[0], refKeys[0].length)
                    : clippedMatches(hk, refKeys);
        }
        return out;
    }

    private int[] ids(String[] toks) {
        int[] ids = new int[toks.length];
        for (int i = 0; i < toks.length; i++) {
            Integer id = localIds.get(toks[i]);
            if (id == null) {
                id = localIds.size();
                localIds.put(toks[i], id);
            }
            ids[i] = id;
        }
        return ids;
    }

    /** N-gram keys (sorted if asked): n local ids of 16 bits each, first token in the highest bits. */
    private static long[] keys(int[] ids, int n, boolean sort) {
        long[] k = NgramMatcher.keys(ids, n, 16);
        if (sort) {
            Arrays.sort(k);
        }
        return k;
    }

    /** Sum over distinct hypothesis keys of min(count in hyp, max count in any reference); all arrays sorted. */
    private static int clippedMatches(long[] hk, long[][] refKeys) {
        int[] pos = new int[refKeys.length];
        int matches = 0;
        int i = 0;
        while (i < hk.length) {
            long key = hk[i];
            int j = i;
            while (j < hk.length && hk[j] == key) {
                j++;
            }
            int hc = j - i;
            int best = 0;
            for (int r = 0; r < refKeys.length; r++) {
                long[] rk = refKeys[r];
                int p = pos[r];
                while (p < rk.length && rk[p] < key) {
                    p++;
                }
                int q = p;
                while (q < rk.length && rk[q] == key) {
                    q++;
                }
                pos[r] = q;
                best = Math.max(best, q - p);
            }
            matches += Math.min(hc, best);
            i = j;
        }
        return matches;
    }

    /** The reference length closest to the hypothesis length, the shorter one on ties (sacreBLEU's rule). */
    static int closestRefLength(int hypLen, String[][] refs) {
        int closestDiff = -1;
        int closestLen = -1;
        for (String[] ref : refs) {
            int len = ref.length;
            int diff = Math.abs(hypLen - len);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = len;
            } else if (diff == closestDiff && len < closestLen) {
                closestLen = len;
            }
        }
        return closestLen;
    }

    /** Plain version of {@link #segment}: maps from n-gram (as a list of tokens) to count, as sacreBLEU does. */
    public static int[] segmentReference(String[] hyp, String[][] refs, int maxOrder) {
        Map<List<String>, Integer> refNgrams = new HashMap<>();
        for (String[] ref : refs) {
            Map<List<String>, Integer> c = ngramCounts(ref, maxOrder);
            for (Map.Entry<List<String>, Integer> e : c.entrySet()) {
                refNgrams.merge(e.getKey(), e.getValue(), Math::max);
            }
        }
        int[] out = new int[2 + 2 * maxOrder];
        out[0] = hyp.length;
        out[1] = closestRefLength(hyp.length, refs);
        for (Map.Entry<List<String>, Integer> e : ngramCounts(hyp, maxOrder).entrySet()) {
            int n = e.getKey().size() - 1;
            out[2 + maxOrder + n] += e.getValue();
            Integer rc = refNgrams.get(e.getKey());
            if (rc != null) {
                out[2 + n] += Math.min(e.getValue(), rc);
            }
        }
        return out;
    }

    private static Map<List<String>, Integer> ngramCounts(String[] toks, int maxOrder) {
        Map<List<String>, Integer> c = new HashMap<>();
        for (int n = 1; n <= maxOrder; n++) {
            for (int i = 0; i + n <= toks.length; i++) {
                c.merge(new ArrayList<>(Arrays.asList(toks).subList(i, i + n)), 1, Integer::sum);
            }
        }
        return c;
    }

    @Override
    public Score score(long[] sums, int nrefs) {
        BleuScore b = compute(sums);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("counts", b.counts());
        d.put("totals", b.totals());
        d.put("precisions", b.precisions());
        d.put("bp", b.bp());
        d.put("ratio", b.ratio());
        d.put("hyp_len", b.sysLen());
        d.put("ref_len", b.refLen());
        return new Score(name(), b.score(), signature(nrefs).format(), b.verbose(), d);
    }

    /** The full BLEU result for summed statistics. */
    public BleuScore compute(long[] sums) {
        int maxOrder = options.maxOrder();
        double[] correct = new double[maxOrder];
        double[] total = new double[maxOrder];
        for (int n = 0; n < maxOrder; n++) {
            correct[n] = sums[2 + n];
            total[n] = sums[2 + maxOrder + n];
        }
        return computeBleu(correct, total, sums[0], sums[1], options.smooth(), smoothValue,
                options.effectiveOrder(), maxOrder);
    }

    @Override
    public double value(long[] sums) {
        return compute(sums).score();
    }

    /**
     * sacreBLEU's {@code BLEU.compute_bleu}: brevity penalty, smoothed precisions, geometric mean. The arrays are
     * updated in place by add-k smoothing (orders above 1), as sacreBLEU does.
     */
    public static BleuScore computeBleu(double[] correct, double[] total, long sysLen, long refLen, Smooth smooth,
                                        double smoothValue, boolean effectiveOrder, int maxOrder) {
        double bp = 1.0;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
        }
        double[] precisions = new double[maxOrder];
        boolean any = false;
        for (double c : correct) {
            any |= c != 0;
        }
        if (!any) {
            return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen);
        }
        double smoothMteval = 1.0;
        int effOrder = maxOrder;
        for (int n = 1; n <= maxOrder; n++) {
            if (smooth == Smooth.ADD_K && n > 1) {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0) {
                break;
            }
            if (effectiveOrder) {
                effOrder = n;
            }
            if (correct[n - 1] == 0) {
                if (smooth == Smooth.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100. / (smoothMteval * total[n - 1]);
                } else if (smooth == Smooth.FLOOR) {
                    precisions[n - 1] = 100. * smoothValue / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100. * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int i = 0; i < effOrder; i++) {
            logSum += myLog(precisions[i]);
        }
        double score = bp * Math.exp(logSum / effOrder);
        return new BleuScore(score, correct, total, precisions, bp, sysLen, refLen);
    }

    /** sacreBLEU's floored logarithm. */
    static double myLog(double x) {
        return x == 0.0 ? -9999999999.0 : Math.log(x);
    }

    @Override
    public double valueFloat32(long[] sums) {
        // compute_bleu on NumPy float32 scalars: each precision is rounded to float32 (NumPy 2 keeps Python
        // floats "weak"), the logs, their mean, exp and the brevity penalty are doubles.
        int maxOrder = options.maxOrder();
        long sysLen = sums[0];
        long refLen = sums[1];
        double bp = 1.0;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
        }
        boolean any = false;
        for (int n = 0; n < maxOrder; n++) {
            any |= sums[2 + n] != 0;
        }
        if (!any) {
            return 0.0;
        }
        Smooth smooth = options.smooth();
        float k = (float) smoothValue;
        double smoothMteval = 1.0;
        int effOrder = maxOrder;
        double logSum = 0;
        float[] precisions = new float[maxOrder];
        for (int n = 1; n <= maxOrder; n++) {
            float c = (float) sums[2 + n - 1];
            float t = (float) sums[2 + maxOrder + n - 1];
            if (smooth == Smooth.ADD_K && n > 1) {
                c += k;
                t += k;
            }
            if (t == 0) {
                break;
            }
            if (options.effectiveOrder()) {
                effOrder = n;
            }
            if (c == 0) {
                if (smooth == Smooth.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100f / ((float) smoothMteval * t);
                } else if (smooth == Smooth.FLOOR) {
                    precisions[n - 1] = (float) (100. * smoothValue) / t;
                }
            } else {
                precisions[n - 1] = (100f * c) / t;
            }
        }
        for (int i = 0; i < effOrder; i++) {
            logSum += myLog(precisions[i]);
        }
        return bp * Math.exp(logSum / effOrder);
    }

    /** Sentence BLEU of one hypothesis against its references, with this instance's options. */
    public Score sentenceScore(String hyp, List<String> refs) {
        List<List<String>> streams = new ArrayList<>();
        for (String r : refs) {
            streams.add(List.of(r));
        }
        return corpusScore(List.of(hyp), streams);
    }

    /** sacreBLEU's {@code sentence_bleu}: 13a, exp smoothing, effective order. */
    public static Score sentenceBleu(String hyp, List<String> refs) {
        return new Bleu(Options.defaults().withEffectiveOrder(true)).sentenceScore(hyp, refs);
    }
}
