package org.mtcompress.compress;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Bulk big-endian float array I/O for the {@code .mtcz} container (chunked through a byte buffer). */
final class FloatIo {
    private static final int CHUNK = 1 << 14;

    private FloatIo() {
    }

    static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < values.length; i += CHUNK) {
            int n = Math.min(CHUNK, values.length - i);
            buf.clear();
            buf.asFloatBuffer().put(values, i, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] values = new float[n];
        byte[] bytes = new byte[CHUNK * 4];
        for (int i = 0; i < n; i += CHUNK) {
            int m = Math.min(CHUNK, n - i);
            in.readFully(bytes, 0, m * 4);
            ByteBuffer.wrap(bytes, 0, m * 4).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values, i, m);
        }
        return values;
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
