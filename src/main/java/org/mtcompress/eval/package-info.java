/** BLEU and friends (sacreBLEU-compatible), decoding, significance tests. */
package org.mtcompress.eval;
