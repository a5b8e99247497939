package org.mtcompress.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.TestPaths;
import org.mtcompress.util.MtcException;

class ReadersTest {
    @TempDir
    Path dir;

    static final String URL = "http://127.0.0.1:9/x";

    @Test
    void realNewstest2014SgmlEqualsThePlainText() throws IOException {
        Path wmt = TestPaths.shared().resolve("wmt");
        for (String[] pair : new String[][] {{"newstest2014-deen-src.en.sgm", "newstest2014.en"},
                {"newstest2014-deen-ref.de.sgm", "newstest2014.de"}}) {
            List<String> sgml = TextReader.read(wmt.resolve("sgm").resolve(pair[0]),
                    DataFile.of(pair[0], URL, null, null, TextFormat.SGML));
            List<String> plain = TextReader.read(wmt.resolve("newstest").resolve(pair[1]),
                    DataFile.of(pair[1], URL, null, null, TextFormat.PLAIN));
            assertEquals(3003, sgml.size());
            assertEquals(plain, sgml);
        }
    }

    @Test
    void wmt14SpecReadsValidAndTestFromTheSharedCopies() {
        DatasetSpec spec = DatasetSpecs.load(Path.of("configs/data/wmt14-en-de.yaml"));
        assertEquals(3, spec.train().parts().size());
        assertEquals(7, spec.files().size());
        Path wmt = TestPaths.shared().resolve("wmt");
        ParallelText test = CorpusReader.read(spec.split("newstest2014"), wmt.resolve("sgm"));
        assertEquals(3003, test.size());
        ParallelText valid = CorpusReader.read(spec.valid(), wmt.resolve("newstest"));
        assertEquals(3000, valid.size());
    }

    @Test
    void linesSplitOnNewlineOnly() throws IOException {
        Path wmt = TestPaths.shared().resolve("wmt/newstest");
        // newstest2009.de contains U+0085: a reader splitting on it would find more lines than the English side
        List<String> de = TextReader.read(wmt.resolve("newstest2009.de"), DataFile.of("newstest2009.de", URL, null, null, TextFormat.PLAIN));
        List<String> en = TextReader.read(wmt.resolve("newstest2009.en"), DataFile.of("newstest2009.en", URL, null, null, TextFormat.PLAIN));
        assertEquals(2525, de.size());
        assertEquals(2525, en.size());
        assertTrue(de.stream().anyMatch(l -> l.indexOf('\u0085') >= 0));
        String text = "a\u0085b\u2028c\rd\r\nlast";
        List<String> lines = TextReader.splitLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a\u0085b\u2028c\rd", "last"), lines);
    }

    @Test
    void sgmlSegmentsCollapseWhitespaceLikeSacrebleu() throws IOException {
        String sgml = "<refset setid=\"t\" srclang=\"any\">\n<doc docid=\"d1\" genre=\"news\">\n<p>\n"
                + "<seg id=\"1\">  Hello \t  world\u00a0 !  </seg>\n"
                + "<seg id=\"2\">a &amp; b\u0085c</seg>\n"
                + "<seg id=\"3\"></seg>\n"
                + "</p>\n</doc>\n</refset>\n";
        Path f = dir.resolve("t.sgm");
        Files.writeString(f, sgml);
        List<String> segs = TextReader.read(f, DataFile.of("t.sgm", URL, null, null, TextFormat.SGML));
        assertEquals(List.of("Hello world !", "a &amp; b c", ""), segs);
    }

    @Test
    void gzAndTgzMembers() throws IOException {
        Path gz = dir.resolve("c.en.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("one\ntwo\u0085two\nthree\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("one", "two\u0085two", "three"),
                TextReader.read(gz, DataFile.of("c.en.gz", URL, null, null, TextFormat.GZ)));

        Path tgz = dir.resolve("corpus.tgz");
        writeTgz(tgz, "training/x.de-en.en", "Hello\nWorld\n", "training/x.de-en.de", "Hallo\nWelt\n");
        CorpusPart part = new CorpusPart("x",
                new DataFile("corpus.tgz", URL, null, null, "training/x.de-en.en", TextFormat.PLAIN),
                new DataFile("corpus.tgz", URL, null, null, "training/x.de-en.de", TextFormat.PLAIN));
        ParallelText p = CorpusReader.readPart(part, dir);
        assertEquals(List.of("Hello", "World"), p.source());
        assertEquals(List.of("Hallo", "Welt"), p.target());

        MtcException e = assertThrows(MtcException.class, () -> TextReader.read(tgz,
                new DataFile("corpus.tgz", URL, null, null, "training/nope.en", TextFormat.PLAIN)));
        assertTrue(e.getMessage().contains("no member training/nope.en"), e.getMessage());
    }

    @Test
    void mismatchedLineCountsNameBothFiles() throws IOException {
        Files.writeString(dir.resolve("a.en"), "1\n2\n3\n");
        Files.writeString(dir.resolve("a.de"), "1\n2\n");
        CorpusPart part = new CorpusPart("a", DataFile.of("a.en", URL, null, null, TextFormat.PLAIN),
                DataFile.of("a.de", URL, null, null, TextFormat.PLAIN));
        MtcException e = assertThrows(MtcException.class, () -> CorpusReader.readPart(part, dir));
        assertTrue(e.getMessage().contains("a.en has 3 segments"), e.getMessage());
        assertTrue(e.getMessage().contains("a.de has 2"), e.getMessage());
    }

    @Test
    void unreadableGzipMissingFileAndBadUtf8AreClearErrors() throws IOException {
        Path bad = dir.resolve("bad.gz");
        Files.writeString(bad, "this is not gzip\n");
        MtcException e1 = assertThrows(MtcException.class,
                () -> TextReader.read(bad, DataFile.of("bad.gz", URL, null, null, TextFormat.GZ)));
        assertTrue(e1.getMessage().contains("cannot read gzip data in " + bad), e1.getMessage());

        Path missing = dir.resolve("missing.en");
        MtcException e2 = assertThrows(MtcException.class,
                () -> TextReader.read(missing, DataFile.of("missing.en", URL, null, null, TextFormat.PLAIN)));
        assertTrue(e2.getMessage().startsWith("missing file " + missing), e2.getMessage());

        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'M', (byte) 0xE4, 'r', 'z', '\n'});
        MtcException e3 = assertThrows(MtcException.class,
                () -> TextReader.read(latin1, DataFile.of("latin1.txt", URL, null, null, TextFormat.PLAIN)));
        assertTrue(e3.getMessage().contains("not valid UTF-8"), e3.getMessage());
    }

    @Test
    void cleaningDropsOnlyWhatItSaysAndCounts() {
        ParallelText t = new ParallelText(
                List.of("a b c", "", "one two three four five six", "x", "fine pair here", "  "),
                List.of("a b c", "leer", "eins", "y", "gutes Paar hier", "z"));
        Cleaner.Result r = Cleaner.clean(t, new Cleaning(true, 5, 3.0));
        assertEquals(List.of("a b c", "x", "fine pair here"), r.text().source());
        assertEquals(new Cleaner.Report(6, 3, 2, 1, 0), r.report());
        Cleaner.Result ratio = Cleaner.clean(t, new Cleaning(true, 0, 3.0));
        assertEquals(1, ratio.report().badRatio());
        assertEquals(6, Cleaner.clean(t, Cleaning.NONE).text().size());
    }

    static void writeTgz(Path file, String... nameContent) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            for (int i = 0; i < nameContent.length; i += 2) {
                byte[] b = nameContent[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(nameContent[i]);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
    }
}
