package org.mtcompress.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mtcompress.util.Hashing;
import org.mtcompress.util.MtcException;

/** Downloads against the JDK's HTTP server on 127.0.0.1. */
class FetcherTest {
    @TempDir
    Path tmp;
    HttpServer server;
    /** path -> content served there */
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** path -> how many bytes to send before cutting the connection on the first full (non-Range) request */
    final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    /** every request: "path range-header-or-none" */
    final List<String> requests = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(path + " " + (range == null ? "none" : range));
        byte[] body = files.get(path);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        if (range != null) {
            int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body, from, body.length - from);
            }
            return;
        }
        Integer cut = cutAfter.remove(path);
        ex.sendResponseHeaders(200, body.length);
        OutputStream o = ex.getResponseBody();
        if (cut != null) {
            o.write(body, 0, cut);
            o.flush();
            // drop the connection mid-body: the client sees a premature end of stream
            ex.close();
            return;
        }
        o.write(body);
        o.close();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A data set whose train and valid splits both read the pair (src, tgt). */
    static DatasetSpec spec(DataFile src, DataFile tgt, String... mirrors) {
        CorpusPart part = new CorpusPart("p", src, tgt);
        return new DatasetSpec("t", "en", "de", List.of(mirrors), 1000, Cleaning.NONE,
                List.of(new SplitSpec("train", SplitRole.TRAIN, List.of(part)),
                        new SplitSpec("valid", SplitRole.VALID, List.of(part))));
    }

    Fetcher fetcher() {
        return new Fetcher(tmp.resolve("cache")).progress(false).backoffMillis(10).log(log);
    }

    @Test
    void resumesAfterACutConnection() throws IOException {
        byte[] a = randomBytes(300_000, 1);
        byte[] b = randomBytes(200_000, 2);
        files.put("/a.bin", a);
        files.put("/b.bin", b);
        cutAfter.put("/a.bin", 120_000);
        DatasetSpec spec = spec(DataFile.of("a.bin", url("/a.bin"), (long) a.length, Hashing.sha256Hex(a), TextFormat.PLAIN),
                DataFile.of("b.bin", url("/b.bin"), (long) b.length, Hashing.sha256Hex(b), TextFormat.PLAIN));
        Fetcher.Result r = fetcher().fetch(spec, List.of());
        assertArrayEquals(a, Files.readAllBytes(r.dataDir().resolve("a.bin")));
        assertArrayEquals(b, Files.readAllBytes(r.dataDir().resolve("b.bin")));
        assertFalse(Files.exists(r.dataDir().resolve("a.bin.part")));
        List<String> forA = requests.stream().filter(s -> s.startsWith("/a.bin")).toList();
        assertEquals(2, forA.size(), requests.toString());
        assertEquals("/a.bin none", forA.get(0));
        // the second request asks only for the missing tail
        long from = Long.parseLong(forA.get(1).replace("/a.bin bytes=", "").replace("-", ""));
        assertTrue(from > 0 && from <= 120_000, forA.get(1));
        assertTrue(r.files().stream().allMatch(f -> f.pinned() && f.origin().startsWith("http://127.0.0.1")));

        // a second fetch finds both in the cache and asks the server for nothing
        int before = requests.size();
        Fetcher.Result again = fetcher().fetch(spec, List.of());
        assertEquals(before, requests.size());
        assertTrue(again.files().stream().allMatch(f -> f.origin().equals("cache")));
    }

    @Test
    void checksumMismatchLeavesNothingThatLooksValid() {
        byte[] a = randomBytes(50_000, 3);
        files.put("/a.bin", a);
        files.put("/b.bin", a);
        String wrong = Hashing.sha256Hex("something else");
        DatasetSpec spec = spec(DataFile.of("a.bin", url("/a.bin"), null, wrong, TextFormat.PLAIN),
                DataFile.of("b.bin", url("/b.bin"), null, Hashing.sha256Hex(a), TextFormat.PLAIN));
        MtcException e = assertThrows(MtcException.class, () -> fetcher().fetch(spec, List.of()));
        assertTrue(e.getMessage().contains("sha256 mismatch: expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("1 file(s) missing: a.bin"), e.getMessage());
        Path dir = tmp.resolve("cache/data/t");
        assertFalse(Files.exists(dir.resolve("a.bin")));
        assertFalse(Files.exists(dir.resolve("a.bin.part")));
        assertTrue(Files.exists(dir.resolve("b.bin")));
    }

    @Test
    void notFoundIsReportedWithoutRetries() {
        byte[] b = randomBytes(1000, 4);
        files.put("/b.bin", b);
        DatasetSpec spec = spec(DataFile.of("a.bin", url("/nope/a.bin"), null, Hashing.sha256Hex(b), TextFormat.PLAIN),
                DataFile.of("b.bin", url("/b.bin"), null, Hashing.sha256Hex(b), TextFormat.PLAIN));
        MtcException e = assertThrows(MtcException.class, () -> fetcher().maxAttempts(4).fetch(spec, List.of()));
        assertTrue(e.getMessage().contains("HTTP 404 for " + url("/nope/a.bin")), e.getMessage());
        assertEquals(1, requests.stream().filter(s -> s.startsWith("/nope/a.bin")).count());
        assertEquals(2, e.exitCode());
    }

    @Test
    void mirrorIsPreferredOverTheUrlAndABadMirrorCopyIsSkipped() throws IOException {
        byte[] a = randomBytes(40_000, 5);
        byte[] b = randomBytes(30_000, 6);
        files.put("/a.bin", a);
        files.put("/b.bin", b);
        Path good = Files.createDirectories(tmp.resolve("good"));
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.write(good.resolve("a.bin"), a);
        Files.write(bad.resolve("b.bin"), randomBytes(30_000, 7)); // same size, wrong content
        DatasetSpec spec = spec(DataFile.of("a.bin", url("/a.bin"), (long) a.length, Hashing.sha256Hex(a), TextFormat.PLAIN),
                DataFile.of("b.bin", url("/b.bin"), (long) b.length, Hashing.sha256Hex(b), TextFormat.PLAIN),
                bad.toString());
        Fetcher.Result r = fetcher().fetch(spec, List.of(good));
        assertEquals("mirror " + good, r.files().get(0).origin());
        assertEquals(url("/b.bin"), r.files().get(1).origin());
        assertEquals(List.of("/b.bin none"), requests);
        assertArrayEquals(a, Files.readAllBytes(r.dataDir().resolve("a.bin")));
        assertArrayEquals(b, Files.readAllBytes(r.dataDir().resolve("b.bin")));
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("mirror copy " + bad.resolve("b.bin") + " rejected"));
    }

    @Test
    void unpinnedChecksumIsAcceptedAndReported() {
        byte[] a = randomBytes(1000, 8);
        files.put("/a.bin", a);
        files.put("/b.bin", a);
        DatasetSpec spec = spec(DataFile.of("a.bin", url("/a.bin"), null, null, TextFormat.PLAIN),
                DataFile.of("b.bin", url("/b.bin"), null, Hashing.sha256Hex(a), TextFormat.PLAIN));
        Fetcher.Result r = fetcher().fetch(spec, List.of());
        assertFalse(r.files().get(0).pinned());
        assertTrue(r.files().get(1).pinned());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("a.bin: checksum not pinned"));
    }

    @Test
    void offlineWithNothingFoundListsEveryMissingFileAndWhereToPutThem() {
        DatasetSpec spec = spec(DataFile.of("a.bin", url("/a.bin"), null, null, TextFormat.PLAIN),
                DataFile.of("b.bin", url("/b.bin"), null, null, TextFormat.PLAIN), tmp.resolve("empty").toString());
        MtcException e = assertThrows(MtcException.class, () -> fetcher().offline(true).fetch(spec, List.of()));
        String m = e.getMessage();
        assertTrue(m.contains("2 file(s) missing: a.bin (" + url("/a.bin")), m);
        assertTrue(m.contains("b.bin (" + url("/b.bin")), m);
        assertTrue(m.contains("Download them into " + tmp.resolve("cache/data/t")), m);
        assertTrue(m.contains("--mirror DIR"), m);
        assertEquals(List.of(), requests);
    }

    @Test
    void unreachableHostIsNotRetried() throws IOException {
        // a port nobody listens on
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String u = "http://127.0.0.1:" + port + "/a.bin";
        DatasetSpec spec = spec(DataFile.of("a.bin", u, null, null, TextFormat.PLAIN),
                DataFile.of("b.bin", "http://127.0.0.1:" + port + "/b.bin", null, null, TextFormat.PLAIN));
        long t0 = System.nanoTime();
        MtcException e = assertThrows(MtcException.class, () -> fetcher().backoffMillis(5_000).fetch(spec, List.of()));
        assertTrue((System.nanoTime() - t0) / 1e9 < 4.0, "no backoff waits expected");
        assertTrue(e.getMessage().contains("cannot reach " + u), e.getMessage());
        assertTrue(e.getMessage().contains("host 127.0.0.1 unreachable"), e.getMessage());
    }
}
