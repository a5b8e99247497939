/**
 * The Compressor interface, scopes, size accounting, one file per compressor family.
 *
 * <p>A {@link org.mtcompress.compress.CompressorSpec} (one settings record per compressor family, registered with
 * its factory in the {@link org.mtcompress.compress.CompressorRegistry}) names a compressor, its settings and a
 * {@link org.mtcompress.compress.ScopeSpec};
 * {@link org.mtcompress.compress.Scope} resolves it to parameter names; the
 * {@link org.mtcompress.compress.Compressor} computes its state from plain float arrays and returns a
 * {@link org.mtcompress.compress.CompressionState}, which is the training hook during retraining and encodes
 * every compressed tensor ({@link org.mtcompress.compress.EncodedTensor}). {@link org.mtcompress.compress.SizeReport}
 * counts bits from the encodings only, and {@link org.mtcompress.compress.Mtcz} writes and reads them in a complete
 * model file (with the vocabulary, config, recipe and provenance).
 * {@link org.mtcompress.compress.CompressionPipeline} runs a recipe of stages end to end (for {@code mtc compress}
 * and {@code mtc run} alike), each retrained by {@link org.mtcompress.compress.StageRetraining}; a later stage
 * keeps earlier stages' constraints.
 */
package org.mtcompress.compress;
