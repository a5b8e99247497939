package org.mtcompress.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sacreBLEU-shaped reproducibility signature, e.g.
 * {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0}. Keys come in sacreBLEU's order: nrefs,
 * bs, ar, seed, the metric's own keys, version last. The version is the sacreBLEU release whose behaviour these
 * metrics reproduce and are tested against ({@link #SACREBLEU_VERSION}).
 */
public final class Signature {
    /** The sacreBLEU release this implementation was checked against, number for number. */
    public static final String SACREBLEU_VERSION = "2.6.0";

    private final int nrefs;
    private final Integer bs;
    private final Integer ar;
    private final String seed;
    private final Map<String, String> metricInfo;

    private Signature(int nrefs, Integer bs, Integer ar, String seed, Map<String, String> metricInfo) {
        this.nrefs = nrefs;
        this.bs = bs;
        this.ar = ar;
        this.seed = seed;
        this.metricInfo = metricInfo;
    }

    /** A signature with the metric's own entries in order (nrefs {@code -1} is written as "var"). */
    public static Signature of(int nrefs, Map<String, String> metricInfo) {
        return new Signature(nrefs, null, null, null, new LinkedHashMap<>(metricInfo));
    }

    /** This signature with the paired bootstrap's resample count and seed added. */
    public Signature withBootstrap(int resamples, long seedValue) {
        return new Signature(nrefs, resamples, ar, Long.toString(seedValue), metricInfo);
    }

    /** This signature with the approximate randomization's trial count and seed added. */
    public Signature withRandomization(int trials, long seedValue) {
        return new Signature(nrefs, bs, trials, Long.toString(seedValue), metricInfo);
    }

    /** The signature string. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("nrefs:").append(nrefs == -1 ? "var" : Integer.toString(nrefs));
        if (bs != null) {
            sb.append("|bs:").append(bs);
        }
        if (ar != null) {
            sb.append("|ar:").append(ar);
        }
        if (seed != null) {
            sb.append("|seed:").append(seed);
        }
        for (Map.Entry<String, String> e : metricInfo.entrySet()) {
            sb.append('|').append(e.getKey()).append(':').append(e.getValue());
        }
        sb.append("|version:").append(SACREBLEU_VERSION);
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
