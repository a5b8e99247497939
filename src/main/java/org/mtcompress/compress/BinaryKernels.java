package org.mtcompress.compress;

/**
 * Hot loops of the binary compressors, on primitive arrays. Codes are one byte per weight (0 = lower centroid,
 * 1 = upper); a weight goes to the upper centroid when it is strictly above the midpoint.
 */
public final class BinaryKernels {
    private BinaryKernels() {
    }

    /** Assigns each of {@code w} to the nearer of {@code c0 <= c1}; fills codes and the binarized values. */
    public static void assign(float[] w, float c0, float c1, byte[] codes, float[] out) {
        float t = threshold(c0, c1);
        for (int i = 0; i < w.length; i++) {
            boolean up = w[i] > t;
            codes[i] = (byte) (up ? 1 : 0);
            out[i] = up ? c1 : c0;
        }
    }

    /**
     * One BS-Flex step. The weights written after the previous step are {@code codes ? c1 : c0} with the
     * centroids as they were, so the optimizer's update is {@code now} minus that: latent += update; each latent
     * weight goes to the nearer centroid (above the midpoint: upper); each centroid becomes its members' mean
     * (an empty side keeps its centroid); {@code out} receives the binarized weights. Two passes; the first is
     * branch-free and sums in four independent lanes (its rounding differs from one running sum by a few ulps).
     */
    public static void flexStep(float[] latent, float[] now, byte[] codes, float[] centroids, float[] out) {
        int n = latent.length;
        float p0 = centroids[0];
        float p1 = centroids[1];
        float t = threshold(p0, p1);
        float[] lut = {p0, p1}; // codes are 0 or 1: a load instead of an unpredictable branch
        double up0 = 0, up1 = 0, up2 = 0, up3 = 0;
        double all0 = 0, all1 = 0, all2 = 0, all3 = 0;
        int up = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            float l0 = latent[i] + (now[i] - lut[codes[i]]);
            float l1 = latent[i + 1] + (now[i + 1] - lut[codes[i + 1]]);
            float l2 = latent[i + 2] + (now[i + 2] - lut[codes[i + 2]]);
            float l3 = latent[i + 3] + (now[i + 3] - lut[codes[i + 3]]);
            latent[i] = l0;
            latent[i + 1] = l1;
            latent[i + 2] = l2;
            latent[i + 3] = l3;
            int b0 = l0 > t ? 1 : 0;
            int b1 = l1 > t ? 1 : 0;
            int b2 = l2 > t ? 1 : 0;
            int b3 = l3 > t ? 1 : 0;
            codes[i] = (byte) b0;
            codes[i + 1] = (byte) b1;
            codes[i + 2] = (byte) b2;
            codes[i + 3] = (byte) b3;
            up += b0 + b1 + b2 + b3;
            up0 += b0 * l0;
            up1 += b1 * l1;
            up2 += b2 * l2;
            up3 += b3 * l3;
            all0 += l0;
            all1 += l1;
            all2 += l2;
            all3 += l3;
        }
        for (; i < n; i++) {
            float l = latent[i] + (now[i] - lut[codes[i]]);
            latent[i] = l;
            int b = l > t ? 1 : 0;
            codes[i] = (byte) b;
            up += b;
            up0 += b * l;
            all0 += l;
        }
        double sumUp = (up0 + up1) + (up2 + up3);
        double sumDown = ((all0 + all1) + (all2 + all3)) - sumUp;
        if (up > 0) {
            centroids[1] = (float) (sumUp / up);
        }
        if (up < n) {
            centroids[0] = (float) (sumDown / (n - up));
        }
        // both means lie on their side of the threshold (an empty side keeps its centroid), so c0 <= c1 still
        decode(codes, centroids[0], centroids[1], out);
    }

    /** Plain reference for {@link #flexStep}: the same step with branches, separate loops and single sums. */
    public static void flexStepReference(float[] latent, float[] now, byte[] codes, float[] centroids, float[] out) {
        int n = latent.length;
        for (int i = 0; i < n; i++) {
            float written = codes[i] == 1 ? centroids[1] : centroids[0];
            latent[i] = latent[i] + (now[i] - written);
        }
        double t = ((double) centroids[0] + centroids[1]) / 2;
        double s0 = 0;
        double s1 = 0;
        int n0 = 0;
        int n1 = 0;
        for (int i = 0; i < n; i++) {
            if (latent[i] > t) {
                codes[i] = 1;
                s1 += latent[i];
                n1++;
            } else {
                codes[i] = 0;
                s0 += latent[i];
                n0++;
            }
        }
        if (n1 > 0) {
            centroids[1] = (float) (s1 / n1);
        }
        if (n0 > 0) {
            centroids[0] = (float) (s0 / n0);
        }
        for (int i = 0; i < n; i++) {
            out[i] = codes[i] == 1 ? centroids[1] : centroids[0];
        }
    }

    /** One fixed-centroid step: latent += now − written; reassign by the fixed midpoint; binarized values to out. */
    public static void fixedStep(float[] latent, float[] now, byte[] codes, float c0, float c1, float[] out) {
        float t = threshold(c0, c1);
        float[] lut = {c0, c1};
        for (int i = 0; i < latent.length; i++) {
            float l = latent[i] + (now[i] - lut[codes[i]]);
            latent[i] = l;
            int b = l > t ? 1 : 0;
            codes[i] = (byte) b;
            out[i] = lut[b];
        }
    }

    /** out[i] = codes[i] ? c1 : c0. */
    public static void decode(byte[] codes, float c0, float c1, float[] out) {
        float[] lut = {c0, c1};
        for (int j = 0; j < codes.length; j++) {
            out[j] = lut[codes[j]];
        }
    }

    /** The float t with {@code x > t} exactly when {@code x > (c0 + c1) / 2} (midpoint in double), for float x. */
    static float threshold(float c0, float c1) {
        double mid = ((double) c0 + c1) / 2;
        float f = (float) mid;
        return f > mid ? Math.nextDown(f) : f;
    }
}
