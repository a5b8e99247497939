package org.mtcompress.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF (Popović 2015) and chrF++ (word order 2, Popović 2017) exactly as sacreBLEU 2.x computes them: character
 * n-grams of code points after removing (Python) whitespace, word n-grams after splitting one leading or trailing
 * ASCII punctuation mark off each word, per-order precision/recall averaged over the orders where both sides
 * have n-grams (sacreBLEU's default "effective order", not eps smoothing), F-beta with beta 2, and for several
 * references the reference with the best sentence F-score (the first on ties).
 *
 * <p>Segment statistics: for each order (characters 1..charOrder, then words 1..wordOrder) the triple
 * {@code [hyp n-grams (0 when the reference has none), ref n-grams, matches]}. The fast path maps the segment's
 * code points to local ids (10 bits each, six to a long) and its words to local ids (32 bits, two to a long) and
 * counts matches on sorted keys; {@link #segmentReference} is the plain map-based version it is tested against
 * and falls back to. Instances are not thread-safe.
 */
public final class Chrf implements Metric {
    private static final double EPS = 1e-16;
    private static final String PUNCTS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final int charOrder;
    private final int wordOrder;
    private final int beta;
    private final boolean lowercase;
    private final boolean whitespace;
    private final boolean epsSmoothing;
    // local ids of the segment's code points: BMP code points in a table (0 = unseen, else id + 1) whose used
    // slots are listed for clearing; others in a map
    private final int[] bmpIds = new int[0x10000];
    private final int[] touched = new int[0x10000];
    private int touchedCount;
    private int nextCharId;
    private final HashMap<Integer, Integer> astralIds = new HashMap<>();
    private final HashMap<String, Integer> wordIds = new HashMap<>();
    private final NgramMatcher matcher = new NgramMatcher();

    /**
     * @param charOrder character n-gram order (6)
     * @param wordOrder word n-gram order (0 for chrF, 2 for chrF++)
     * @param beta      recall weight (2)
     * @param lowercase lower-case both sides first
     */
    public Chrf(int charOrder, int wordOrder, int beta, boolean lowercase) {
        this(charOrder, wordOrder, beta, lowercase, false, false);
    }

    /**
     * @param whitespace   keep whitespace inside character n-grams (sacreBLEU's {@code whitespace=True})
     * @param epsSmoothing chrF++.py-style epsilon smoothing over all orders instead of the effective-order
     *                     average (sacreBLEU's {@code eps_smoothing=True}; signature {@code eff:no})
     */
    public Chrf(int charOrder, int wordOrder, int beta, boolean lowercase, boolean whitespace, boolean epsSmoothing) {
        if (charOrder < 1 || wordOrder < 0 || beta < 1) {
            throw new IllegalArgumentException("chrF needs charOrder >= 1, wordOrder >= 0, beta >= 1");
        }
        this.charOrder = charOrder;
        this.wordOrder = wordOrder;
        this.beta = beta;
        this.lowercase = lowercase;
        this.whitespace = whitespace;
        this.epsSmoothing = epsSmoothing;
    }

    /** chrF2 with sacreBLEU's defaults. */
    public static Chrf chrf(boolean lowercase) {
        return new Chrf(6, 0, 2, lowercase);
    }

    /** chrF2++ (word order 2). */
    public static Chrf chrfPlusPlus(boolean lowercase) {
        return new Chrf(6, 2, 2, lowercase);
    }

    @Override
    public String name() {
        return "chrF" + beta + "+".repeat(wordOrder);
    }

    private int order() {
        return charOrder + wordOrder;
    }

    @Override
    public int statsWidth() {
        return 3 * order();
    }

    @Override
    public Signature signature(int nrefs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("case", lowercase ? "lc" : "mixed");
        m.put("eff", epsSmoothing ? "no" : "yes");
        m.put("nc", Integer.toString(charOrder));
        m.put("nw", Integer.toString(wordOrder));
        m.put("space", whitespace ? "yes" : "no");
        return Signature.of(nrefs, m);
    }

    private String preprocess(String s) {
        return lowercase ? PyText.lower(s) : s;
    }

    @Override
    public int[][] segmentStatistics(List<String> hyps, List<List<String>> refs) {
        Metric.checkLengths(hyps, refs);
        int[][] stats = new int[hyps.size()][];
        String[] r = new String[refs.size()];
        for (int i = 0; i < hyps.size(); i++) {
            for (int k = 0; k < r.length; k++) {
                r[k] = preprocess(refs.get(k).get(i));
            }
            stats[i] = segment(preprocess(hyps.get(i)), r);
        }
        return stats;
    }

    /** Code points of {@code s}, without Python whitespace ({@code ''.join(s.split())}) unless kept. */
    private int[] charsOf(String s) {
        return whitespace ? s.codePoints().toArray() : codePointsNoSpace(s);
    }

    /** Code points of {@code s} without Python whitespace ({@code ''.join(s.split())}). */
    static int[] codePointsNoSpace(String s) {
        int[] cps = new int[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (!PyText.isSpace(cp)) {
                cps[n++] = cp;
            }
        }
        return Arrays.copyOf(cps, n);
    }

    /** sacreBLEU's chrF++ word splitting: one ASCII punctuation mark split off the end, else off the start. */
    static List<String> words(String sent) {
        List<String> out = new ArrayList<>();
        for (String w : PyText.split(sent)) {
            int len = w.codePointCount(0, w.length());
            if (len == 1) {
                out.add(w);
                continue;
            }
            int last = w.codePointBefore(w.length());
            int first = w.codePointAt(0);
            if (last < 128 && PUNCTS.indexOf(last) >= 0) {
                out.add(w.substring(0, w.length() - 1));
                out.add(w.substring(w.length() - 1));
            } else if (first < 128 && PUNCTS.indexOf(first) >= 0) {
                out.add(w.substring(0, 1));
                out.add(w.substring(1));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** Statistics of one (preprocessed) segment: the best reference by sentence F-score. */
    public int[] segment(String hyp, String[] refs) {
        clearCharIds();
        wordIds.clear();
        int[] hc = charIdsOf(charsOf(hyp));
        int[][] rc = new int[refs.length][];
        for (int k = 0; k < refs.length; k++) {
            rc[k] = charIdsOf(charsOf(refs[k]));
        }
        if (nextCharId >= 1024 || charOrder > 6) {
            return segmentReference(hyp, refs);
        }
        int[] hw = null;
        int[][] rw = null;
        if (wordOrder > 0) {
            if (wordOrder > 2) {
                return segmentReference(hyp, refs);
            }
            hw = wordIdsOf(words(hyp));
            rw = new int[refs.length][];
            for (int k = 0; k < refs.length; k++) {
                rw[k] = wordIdsOf(words(refs[k]));
            }
        }
        long[][] hypKeys = new long[order()][];
        for (int n = 1; n <= charOrder; n++) {
            hypKeys[n - 1] = NgramMatcher.keys(hc, n, 10);
        }
        for (int n = 1; n <= wordOrder; n++) {
            hypKeys[charOrder + n - 1] = NgramMatcher.keys(hw, n, 32);
        }
        int[] best = null;
        double bestF = -1.0;
        for (int k = 0; k < refs.length; k++) {
            int[] stats = new int[3 * order()];
            for (int n = 1; n <= order(); n++) {
                long[] rk = n <= charOrder ? NgramMatcher.keys(rc[k], n, 10)
                        : NgramMatcher.keys(rw[k], n - charOrder, 32);
                long[] hk = hypKeys[n - 1];
                int o = 3 * (n - 1);
                stats[o] = rk.length > 0 ? hk.length : 0;
                stats[o + 1] = rk.length;
                stats[o + 2] = matcher.matches(hk, hk.length, rk, rk.length);
            }
            double f = fScore(stats);
            if (f > bestF) {
                bestF = f;
                best = stats;
            }
        }
        return best;
    }

    private void clearCharIds() {
        for (int i = 0; i < touchedCount; i++) {
            bmpIds[touched[i]] = 0;
        }
        touchedCount = 0;
        nextCharId = 0;
        astralIds.clear();
    }

    private int[] charIdsOf(int[] cps) {
        int[] ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (cp < 0x10000) {
                int v = bmpIds[cp];
                if (v == 0) {
                    v = ++nextCharId;
                    bmpIds[cp] = v;
                    touched[touchedCount++] = cp;
                }
                ids[i] = v - 1;
            } else {
                Integer id = astralIds.get(cp);
                if (id == null) {
                    id = nextCharId++;
                    astralIds.put(cp, id);
                }
                ids[i] = id;
            }
        }
        return ids;
    }

    private int[] wordIdsOf(List<String> ws) {
        int[] ids = new int[ws.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = wordIds.get(ws.get(i));
            if (id == null) {
                id = wordIds.size();
                wordIds.put(ws.get(i), id);
            }
            ids[i] = id;
        }
        return ids;
    }

    /** Plain version of {@link #segment} with maps from n-gram string to count, as sacreBLEU does. */
    public int[] segmentReference(String hyp, String[] refs) {
        List<Map<String, Integer>> h = ngrams(hyp);
        int[] best = null;
        double bestF = -1.0;
        for (String ref : refs) {
            List<Map<String, Integer>> r = ngrams(ref);
            int[] stats = new int[3 * order()];
            for (int i = 0; i < order(); i++) {
                int hypCount = 0;
                int match = 0;
                for (Map.Entry<String, Integer> e : h.get(i).entrySet()) {
                    hypCount += e.getValue();
                    Integer rc = r.get(i).get(e.getKey());
                    if (rc != null) {
                        match += Math.min(e.getValue(), rc);
                    }
                }
                int refCount = 0;
                for (int c : r.get(i).values()) {
                    refCount += c;
                }
                stats[3 * i] = r.get(i).isEmpty() ? 0 : hypCount;
                stats[3 * i + 1] = refCount;
                stats[3 * i + 2] = match;
            }
            double f = fScore(stats);
            if (f > bestF) {
                bestF = f;
                best = stats;
            }
        }
        return best;
    }

    private List<Map<String, Integer>> ngrams(String s) {
        List<Map<String, Integer>> out = new ArrayList<>();
        int[] cps = charsOf(s);
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> c = new HashMap<>();
            for (int i = 0; i + n <= cps.length; i++) {
                c.merge(new String(cps, i, n), 1, Integer::sum);
            }
            out.add(c);
        }
        if (wordOrder > 0) {
            List<String> ws = words(s);
            for (int n = 1; n <= wordOrder; n++) {
                Map<String, Integer> c = new HashMap<>();
                for (int i = 0; i + n <= ws.size(); i++) {
                    c.merge(String.join(" ", ws.subList(i, i + n)), 1, Integer::sum);
                }
                out.add(c);
            }
        }
        return out;
    }

    private double fScore(int[] stats) {
        long[] s = new long[stats.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = stats[i];
        }
        return value(s);
    }

    /** sacreBLEU's {@code _compute_f_score} (effective-order averaging) in double precision. */
    @Override
    public double value(long[] sums) {
        int factor = beta * beta;
        if (epsSmoothing) {
            double score = 0;
            for (int i = 0; i < order(); i++) {
                long nHyp = sums[3 * i];
                long nRef = sums[3 * i + 1];
                long nMatch = sums[3 * i + 2];
                double prec = nHyp > 0 ? (double) nMatch / nHyp : EPS;
                double rec = nRef > 0 ? (double) nMatch / nRef : EPS;
                double denom = factor * prec + rec;
                score += denom > 0 ? (1 + factor) * prec * rec / denom : EPS;
            }
            return 100 * score / order();
        }
        return effectiveOrderScore(sums, factor, false);
    }

    /** {@link #value} with every operation rounded to float32, as on sacreBLEU's resampled NumPy float32 sums. */
    @Override
    public double valueFloat32(long[] sums) {
        int factor = beta * beta;
        if (epsSmoothing) {
            return epsFloat32(sums, factor);
        }
        return effectiveOrderScore(sums, factor, true);
    }

    /**
     * The effective-order F-score: precision and recall averaged over the orders that have hypothesis and
     * reference n-grams. With {@code f32} every operation is rounded to float32; a float32 sum, product or
     * quotient computed in double and then rounded equals the float32 operation (double has more than twice
     * float's precision), so one implementation serves both.
     */
    private double effectiveOrderScore(long[] sums, int factor, boolean f32) {
        double avgPrec = 0;
        double avgRec = 0;
        int eff = 0;
        for (int i = 0; i < order(); i++) {
            double nHyp = round(sums[3 * i], f32);
            double nRef = round(sums[3 * i + 1], f32);
            double nMatch = round(sums[3 * i + 2], f32);
            if (nHyp > 0 && nRef > 0) {
                avgPrec = round(avgPrec + round(nMatch / nHyp, f32), f32);
                avgRec = round(avgRec + round(nMatch / nRef, f32), f32);
                eff++;
            }
        }
        if (eff == 0) {
            return 0.0;
        }
        avgPrec = round(avgPrec / eff, f32);
        avgRec = round(avgRec / eff, f32);
        if (round(avgPrec + avgRec, f32) != 0) {
            double score = round(round((1 + factor) * avgPrec, f32) * avgRec, f32);
            score = round(score / round(round(factor * avgPrec, f32) + avgRec, f32), f32);
            return round(100 * score, f32);
        }
        return 0.0;
    }

    private static double round(double x, boolean f32) {
        return f32 ? (float) x : x;
    }

    /**
     * Epsilon-smoothed F-score on float32 sums. In sacreBLEU the ratios are float32 where a count is positive and
     * the Python float epsilon elsewhere; an operation is float32 as soon as one operand is (NumPy 2 rules), so
     * each intermediate carries that flag here.
     */
    private double epsFloat32(long[] sums, int factor) {
        double score = 0;
        boolean scoreF = false;
        for (int i = 0; i < order(); i++) {
            float nHyp = sums[3 * i];
            float nRef = sums[3 * i + 1];
            float nMatch = sums[3 * i + 2];
            boolean pF = nHyp > 0;
            boolean rF = nRef > 0;
            double prec = pF ? nMatch / nHyp : EPS;
            double rec = rF ? nMatch / nRef : EPS;
            double t1 = pF ? factor * (float) prec : factor * prec;
            boolean dF = pF || rF;
            double denom = dF ? (float) t1 + (float) rec : t1 + rec;
            double term;
            boolean termF;
            if (denom > 0) {
                double a = pF ? (1 + factor) * (float) prec : (1 + factor) * prec;
                boolean bF = pF || rF;
                double b = bF ? (float) a * (float) rec : a * rec;
                termF = bF || dF;
                term = termF ? (float) b / (float) denom : b / denom;
            } else {
                term = EPS;
                termF = false;
            }
            scoreF |= termF;
            score = scoreF ? (float) score + (float) term : score + term;
        }
        return scoreF ? (100 * (float) score) / order() : 100 * score / order();
    }

    @Override
    public boolean float32ResampledScores() {
        return true;
    }

    @Override
    public Score score(long[] sums, int nrefs) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("char_order", charOrder);
        d.put("word_order", wordOrder);
        d.put("beta", beta);
        return new Score(name(), value(sums), signature(nrefs).format(), "", d);
    }
}
