package org.mtcompress.model;

/** Exposes package-private decoding helpers to tests in other packages. */
public final class DecoderAccess {
    private DecoderAccess() {
    }

    public static int[] topK(float[] a, int from, int n, int k, int skip) {
        return Decoder.topK(a, from, n, k, skip);
    }
}
