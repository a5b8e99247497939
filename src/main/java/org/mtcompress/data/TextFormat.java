package org.mtcompress.data;

/** How the text of one corpus side is stored (inside an archive member or directly in a file). */
public enum TextFormat {
    /** UTF-8 text, one segment per line, lines end with {@code \n}. */
    PLAIN,
    /** The same, gzip-compressed. */
    GZ,
    /** WMT SGML: one {@code <seg id=..>text</seg>} per line; the text is the segment content, whitespace collapsed. */
    SGML
}
