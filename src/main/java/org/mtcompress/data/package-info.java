/**
 * Corpora: dataset specs ({@link org.mtcompress.data.DatasetSpec}, {@code configs/data/*.yaml}), download with
 * checksums ({@link org.mtcompress.data.Fetcher}), readers for plain, gz, tgz members and WMT SGML
 * ({@link org.mtcompress.data.TextReader}), training-set cleaning, the joint SentencePiece subword vocabulary
 * ({@link org.mtcompress.data.SentencePieceVocabulary}), length-bucketed batching ({@link org.mtcompress.data.Batcher})
 * and the one call the training code needs: {@link org.mtcompress.data.PreparedData#prepare}.
 */
package org.mtcompress.data;
