package org.mtcompress.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.mtcompress.util.MtcException;

/**
 * Reads the segments of one corpus side: plain or gzipped text, a member of a {@code .tgz} archive, or WMT SGML.
 *
 * <p>Lines are split on {@code \n} only (a {@code \r} right before it is dropped): WMT text contains U+0085, U+2028
 * and other characters that {@link java.io.BufferedReader#readLine()} or {@code String.lines()} would treat as line
 * breaks, which would make the two sides of a corpus disagree. Input must be valid UTF-8; anything else is an error
 * naming the file.
 */
public final class TextReader {
    private TextReader() {
    }

    /** The segments of {@code spec} read from {@code file} (the downloaded file {@code spec.file()}). */
    public static List<String> read(Path file, DataFile spec) {
        String label = spec.member() == null ? file.toString() : file + "!" + spec.member();
        try (InputStream raw = Files.newInputStream(file)) {
            if (spec.member() == null) {
                return read(raw, spec.format(), label);
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16));
            List<String> names = new ArrayList<>();
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals(spec.member()) || stripDot(e.getName()).equals(stripDot(spec.member()))) {
                    return read(tar, spec.format(), label);
                }
                if (names.size() < 20) {
                    names.add(e.getName());
                }
            }
            throw new MtcException("archive " + file + " has no member " + spec.member() + " (first members: " + names + ")");
        } catch (NoSuchFileException e) {
            throw new MtcException("missing file " + file + " (fetch it with: mtc data fetch)", e);
        } catch (ZipException | EOFException e) {
            throw new MtcException("cannot read gzip data in " + label + ": " + e.getMessage(), e);
        } catch (CharacterCodingException e) {
            throw new MtcException(label + ": not valid UTF-8 (" + e + ")", e);
        } catch (IOException e) {
            throw new MtcException("cannot read " + label + ": " + e.getMessage(), e);
        }
    }

    private static String stripDot(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    /** Reads segments from a stream (not closed here) in the given format. */
    public static List<String> read(InputStream in, TextFormat format, String label) throws IOException {
        InputStream src = format == TextFormat.GZ ? new GZIPInputStream(in, 1 << 16) : in;
        List<String> lines = splitLines(src);
        return format == TextFormat.SGML ? sgmlSegments(lines) : lines;
    }

    /** Strict UTF-8 lines split on {@code \n} only; a final line without {@code \n} counts if it is not empty. */
    public static List<String> splitLines(InputStream in) throws IOException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        Reader r = new InputStreamReader(in, dec);
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder(256);
        char[] buf = new char[1 << 16];
        int n;
        while ((n = r.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    sb.append(buf, start, i - start);
                    out.add(endLine(sb));
                    sb.setLength(0);
                    start = i + 1;
                }
            }
            sb.append(buf, start, n - start);
        }
        if (sb.length() > 0) {
            out.add(endLine(sb));
        }
        return out;
    }

    private static String endLine(StringBuilder sb) {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
            len--;
        }
        return sb.substring(0, len);
    }

    /**
     * The segments of WMT SGML lines, as sacreBLEU extracts them: every line starting with {@code <seg } gives one
     * segment, the text between the tag's {@code >} and the last {@code </seg>} (plus anything after it), with
     * leading/trailing whitespace removed and internal runs of whitespace collapsed to one space. Whitespace means
     * what Python's {@code \s} means (U+0085 and U+00A0 included), so the result equals sacreBLEU's.
     */
    public static List<String> sgmlSegments(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("<seg ")) {
                continue;
            }
            int open = line.indexOf('>');
            int close = line.lastIndexOf("</seg>");
            String text;
            if (open < 0 || close < open) {
                text = line;
            } else {
                text = line.substring(open + 1, close) + line.substring(close + "</seg>".length());
            }
            out.add(collapseWhitespace(text));
        }
        return out;
    }

    /** {@code re.sub(r"\s+", " ", s.strip())} with Python's (Unicode) notion of whitespace. */
    public static String collapseWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isPythonSpace(c)) {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Python's {@code str.isspace()} for one UTF-16 unit (all such characters are in the BMP). */
    public static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
