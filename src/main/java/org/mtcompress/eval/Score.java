package org.mtcompress.eval;

import java.util.Map;

/**
 * One corpus- or sentence-level metric result: the metric's name ("BLEU", "chrF2", "chrF2++"), the score in
 * [0, 100] at full double precision, the signature, sacreBLEU's verbose string (BLEU: precisions, BP, ratio,
 * lengths) and the details as a map (kept in insertion order, ready for JSON).
 */
public record Score(String name, double score, String signature, String verbose, Map<String, Object> details) {

    /** sacreBLEU's one-line form: {@code BLEU|nrefs:1|...|version:2.6.0 = 27.30 58.5/33.1/... (BP = ...)}. */
    public String format(int width) {
        StringBuilder sb = new StringBuilder(name);
        if (!signature.isEmpty()) {
            sb.append('|').append(signature);
        }
        sb.append(" = ").append(PyText.formatFixed(score, width));
        if (!verbose.isEmpty()) {
            sb.append(' ').append(verbose);
        }
        return sb.toString();
    }
}
