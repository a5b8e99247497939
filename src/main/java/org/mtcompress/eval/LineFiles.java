package org.mtcompress.eval;

import org.mtcompress.util.MtcException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads hypothesis and reference files the way sacreBLEU's command line does: strict UTF-8, lines split on
 * {@code \n} only (WMT text contains U+0085 and U+2028 inside segments), each line right-stripped of Python
 * whitespace; a final newline does not start another line. Bad input is an {@link MtcException} naming the file.
 */
public final class LineFiles {
    private LineFiles() {
    }

    /**
     * The segments of each file, the files read on parallel threads (a short {@code mtc eval} process spends a
     * good part of its time decoding UTF-8). A bad file is reported as {@link #read} reports it, the first one in
     * the order given when several are bad.
     */
    public static List<List<String>> readAll(List<Path> files) {
        List<List<String>> out = new ArrayList<>(Collections.nCopies(files.size(), null));
        RuntimeException[] failure = new RuntimeException[files.size()];
        List<Thread> readers = new ArrayList<>();
        for (int i = 1; i < files.size(); i++) {
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    out.set(k, read(files.get(k)));
                } catch (RuntimeException e) {
                    failure[k] = e;
                }
            }, "read-" + k);
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
        try {
            out.set(0, read(files.get(0)));
        } catch (RuntimeException e) {
            failure[0] = e;
        }
        for (Thread t : readers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading", e);
            }
        }
        for (RuntimeException e : failure) {
            if (e != null) {
                throw e;
            }
        }
        return out;
    }

    /** The segments of {@code file}; an empty file, a missing file or invalid UTF-8 is an error. */
    public static List<String> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MtcException(file + ": no such file");
        } catch (IOException e) {
            throw new MtcException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length == 0) {
            throw new MtcException(file + ": empty file (no segments)");
        }
        String text = decodeStrict(file, bytes);
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        while (start < n) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            lines.add(PyText.rstrip(text.substring(start, end)));
            start = end + 1;
        }
        return lines;
    }

    private static String decodeStrict(Path file, byte[] bytes) {
        // The JDK's replacing decoder is several times faster than a reporting CharsetDecoder; it yields U+FFFD
        // for every invalid sequence, so a text without U+FFFD was valid. Only a text with one (valid or not)
        // is decoded again strictly.
        String fast = new String(bytes, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(bytes));
            return cb.toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidOffset(bytes);
            int line = 1;
            for (int i = 0; i < bad && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new MtcException(file + ": not valid UTF-8 (line " + line + ", byte offset " + bad + ")");
        }
    }

    /** Offset of the first byte where strict decoding fails. */
    private static int firstInvalidOffset(byte[] bytes) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        var result = dec.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }
}
