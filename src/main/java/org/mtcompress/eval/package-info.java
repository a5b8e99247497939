/**
 * Evaluation: BLEU, chrF and chrF++ computed exactly as sacreBLEU 2.6.0 computes them (tokenizers 13a, intl,
 * none; smoothing; several references; sentence BLEU; signatures of the same shape), and sacreBLEU's paired
 * significance tests (bootstrap resampling and approximate randomization, with NumPy's random draws
 * reproduced so p-values and confidence intervals are sacreBLEU's own). {@link org.mtcompress.eval.Metric} is
 * the common shape: per-segment sufficient statistics, a score from their sum. Each fast path (scanning
 * tokenizers, packed n-gram counting) sits beside a plain reference implementation it is tested against.
 * Decoding (beam search) lives in its own classes.
 */
package org.mtcompress.eval;
