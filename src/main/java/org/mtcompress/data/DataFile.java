package org.mtcompress.data;

import org.mtcompress.config.Default;
import org.mtcompress.config.Doc;
import org.mtcompress.config.Range;

/**
 * One side (source or target) of one corpus part: the file to fetch, where it comes from, its pinned size and
 * checksum, and how to read the text out of it. Several entries may name the same archive with different
 * {@code member}s (Europarl's English and German sides are both in one {@code .tgz}); the fetcher fetches
 * each distinct {@code file} once.
 *
 * @param file   file name in the cache and in mirror folders
 * @param url    where to download it
 * @param size   size in bytes of the downloaded file, or {@code null} when not published
 * @param sha256 sha256 of the downloaded file, or {@code null} when not pinned (the fetcher then says so)
 * @param member path of the text inside a {@code .tgz} archive, or {@code null} when {@code file} itself is the text
 * @param format how the text (the file, or the member) is stored
 */
@Doc("One downloadable file (or a member of an archive) holding one side of a corpus")
public record DataFile(
        @Doc("File name in the cache folder and in mirror folders") String file,
        @Doc("Download URL") String url,
        @Doc("Size in bytes of the downloaded file; ~ when not published") @Default("~") @Range(min = 0) Long size,
        @Doc("sha256 (hex) of the downloaded file; ~ when not pinned") @Default("~") String sha256,
        @Doc("Path of the text inside a .tgz archive; ~ when the file is the text itself") @Default("~") String member,
        @Doc("How the text is stored: plain, gz (gzip) or sgml (WMT <seg> markup)") @Default("plain") TextFormat format) {

    public DataFile {
        if (file == null || file.isBlank() || file.contains("/") || file.contains("\\")) {
            throw new IllegalArgumentException("file: must be a plain file name, got '" + file + "'");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: missing for file " + file);
        }
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: not 64 lower-case hex digits for file " + file + ": " + sha256);
        }
        if (format == null) {
            format = TextFormat.PLAIN;
        }
    }

    /** A file read directly (no archive member). */
    public static DataFile of(String file, String url, Long size, String sha256, TextFormat format) {
        return new DataFile(file, url, size, sha256, null, format);
    }

    /** A short name for messages: the file, or {@code file!member}. */
    public String label() {
        return member == null ? file : file + "!" + member;
    }
}
