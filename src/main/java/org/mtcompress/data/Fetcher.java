package org.mtcompress.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.mtcompress.util.Hashing;
import org.mtcompress.util.MtcException;

/**
 * Puts the files of a data set into {@code CACHE/data/NAME/}, verified against their pinned sha256.
 *
 * <p>For each file, in order: a verified copy already in the cache; the mirror folders (those given on the command
 * line, then the spec's own); the file's URL. Downloads go to {@code FILE.part} and resume from its length with an
 * HTTP {@code Range} request after a cut connection; failures are retried with exponential backoff (4xx answers and
 * unknown or unreachable hosts are not). A file becomes {@code FILE} only after its size and checksum were checked;
 * a mismatch deletes the download, so nothing that looks valid is left behind. Files without a pinned checksum are
 * accepted and reported as "checksum not pinned". When files cannot be found, one error lists them all with their
 * URLs and the folders where they can be put by hand.
 *
 * <p>A verified file gets a sidecar {@code FILE.sha256} ({@code sha256 size}) so later runs do not hash large
 * archives again; the sidecar is trusted only while the file's size matches it.
 */
public final class Fetcher {
    private final Path cacheDir;
    private int maxAttempts = 5;
    private long backoffMillis = 1000;
    private boolean offline;
    private boolean progress = true;
    private PrintStream log = System.err;

    public Fetcher(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** How many times one download is tried before giving up (default 5). */
    public Fetcher maxAttempts(int n) {
        this.maxAttempts = Math.max(1, n);
        return this;
    }

    /** First wait between attempts; it doubles each time, up to 60 s (default 1 s). */
    public Fetcher backoffMillis(long ms) {
        this.backoffMillis = Math.max(0, ms);
        return this;
    }

    /** Never download; only the cache and mirrors are used. */
    public Fetcher offline(boolean off) {
        this.offline = off;
        return this;
    }

    /** Whether to draw a progress bar on stderr while downloading (default true). */
    public Fetcher progress(boolean on) {
        this.progress = on;
        return this;
    }

    /** Where "found in mirror", "downloaded" and warnings are printed (default stderr). */
    public Fetcher log(PrintStream out) {
        this.log = out;
        return this;
    }

    /**
     * Where one file came from.
     *
     * @param file   the spec entry
     * @param origin {@code cache}, {@code mirror DIR} or {@code URL}
     * @param sha256 checksum of the stored file
     * @param pinned whether the spec pins the checksum (otherwise the file was accepted unchecked)
     */
    public record FileResult(DataFile file, String origin, String sha256, boolean pinned) {
    }

    /** The folder holding the data set's files, and where each came from. */
    public record Result(Path dataDir, List<FileResult> files) {
    }

    /** Fetches every file of {@code spec}; {@code extraMirrors} are searched before the spec's mirrors. */
    public Result fetch(DatasetSpec spec, List<Path> extraMirrors) {
        Path dir = CacheDirs.dataDir(cacheDir, spec);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MtcException("cannot create cache folder " + dir + ": " + e.getMessage(), e);
        }
        Set<Path> mirrors = new LinkedHashSet<>(extraMirrors);
        for (String m : spec.mirrors()) {
            mirrors.add(Path.of(m));
        }
        List<FileResult> done = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> deadHosts = new HashSet<>();
        for (DataFile f : spec.files()) {
            List<String> why = new ArrayList<>();
            FileResult r = fetchOne(f, dir, mirrors, deadHosts, why);
            if (r != null) {
                done.add(r);
                if (!r.pinned()) {
                    log.println("warning: " + f.file() + ": checksum not pinned in the spec (got sha256 " + r.sha256() + ")");
                }
            } else {
                missing.add(f.file() + " (" + f.url() + (why.isEmpty() ? "" : "; " + String.join("; ", why)) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new MtcException("data set " + spec.name() + ": " + missing.size() + " file(s) missing: "
                    + String.join(", ", missing) + ". Download them into " + dir.toAbsolutePath()
                    + " or into a folder passed with --mirror DIR"
                    + (mirrors.isEmpty() ? "" : " (searched: " + mirrors.stream().map(Path::toString).toList() + ")"));
        }
        return new Result(dir, List.copyOf(done));
    }

    private FileResult fetchOne(DataFile f, Path dir, Set<Path> mirrors, Set<String> deadHosts, List<String> why) {
        Path target = dir.resolve(f.file());
        if (Files.isRegularFile(target)) {
            String sha = trustedSha(target);
            if (sha == null) {
                sha = Hashing.sha256Hex(target);
            }
            if (f.sha256() == null || f.sha256().equals(sha)) {
                writeSidecar(target, sha);
                return new FileResult(f, "cache", sha, f.sha256() != null);
            }
            log.println("warning: cached " + target + " has sha256 " + sha + ", expected " + f.sha256() + "; fetching it again");
            deleteQuietly(target);
            deleteQuietly(sidecar(target));
        }
        for (Path m : mirrors) {
            Path cand = m.resolve(f.file());
            if (!Files.isRegularFile(cand)) {
                continue;
            }
            Path part = dir.resolve(f.file() + ".part");
            String sha;
            try (InputStream in = Files.newInputStream(cand)) {
                sha = copyHashing(in, part, false, null);
            } catch (IOException e) {
                deleteQuietly(part);
                why.add("mirror " + cand + " unreadable: " + e.getMessage());
                continue;
            }
            String bad = check(f, part, sha);
            if (bad != null) {
                deleteQuietly(part);
                log.println("warning: mirror copy " + cand + " rejected: " + bad);
                why.add("mirror " + cand + ": " + bad);
                continue;
            }
            install(part, target, sha);
            log.println(f.file() + ": copied from mirror " + m);
            return new FileResult(f, "mirror " + m, sha, f.sha256() != null);
        }
        if (offline) {
            why.add("offline");
            return null;
        }
        String host = URI.create(f.url()).getHost();
        if (host != null && deadHosts.contains(host)) {
            why.add("host " + host + " unreachable");
            return null;
        }
        try {
            String sha = download(f, dir);
            log.println(f.file() + ": downloaded from " + f.url());
            return new FileResult(f, f.url(), sha, f.sha256() != null);
        } catch (Unreachable e) {
            if (host != null) {
                deadHosts.add(host);
            }
            why.add(e.getMessage());
            return null;
        } catch (DownloadFailed e) {
            why.add(e.getMessage());
            return null;
        }
    }

    /** A host that cannot be resolved or connected to: no retries, and the other files on it are skipped. */
    private static final class Unreachable extends Exception {
        Unreachable(String msg) {
            super(msg);
        }
    }

    /** A download that failed for good (after retries, or at once for 4xx and checksum mismatches). */
    private static final class DownloadFailed extends Exception {
        DownloadFailed(String msg) {
            super(msg);
        }
    }

    private String download(DataFile f, Path dir) throws Unreachable, DownloadFailed {
        Path part = dir.resolve(f.file() + ".part");
        Path target = dir.resolve(f.file());
        String lastError = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                long wait = Math.min(60_000, backoffMillis << Math.min(attempt - 2, 16));
                log.println(f.file() + ": attempt " + (attempt - 1) + " failed (" + lastError + "); retrying in " + wait + " ms");
                sleep(wait);
            }
            try {
                boolean complete = transfer(f, part);
                if (!complete) {
                    lastError = "connection closed early";
                    continue;
                }
            } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
                throw new Unreachable("cannot reach " + f.url() + ": " + e);
            } catch (HttpStatus e) {
                if (e.code >= 400 && e.code < 500) {
                    deleteQuietly(part);
                    throw new DownloadFailed("HTTP " + e.code + " for " + f.url());
                }
                lastError = "HTTP " + e.code;
                continue;
            } catch (IOException e) {
                lastError = e.toString();
                continue;
            }
            String sha = Hashing.sha256Hex(part);
            String bad = check(f, part, sha);
            if (bad != null) {
                deleteQuietly(part);
                throw new DownloadFailed("download from " + f.url() + " rejected and deleted: " + bad);
            }
            install(part, target, sha);
            return sha;
        }
        throw new DownloadFailed("gave up after " + maxAttempts + " attempts (" + lastError + ")");
    }

    private static final class HttpStatus extends IOException {
        final int code;

        HttpStatus(int code) {
            super("HTTP " + code);
            this.code = code;
        }
    }

    /**
     * One request: resumes {@code part} from its length. Returns true when the body was read to its end (and its
     * length matched the announced one), false when the connection was cut.
     */
    private boolean transfer(DataFile f, Path part) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        URL url = URI.create(f.url()).toURL();
        HttpURLConnection c = null;
        for (int redirects = 0; ; redirects++) {
            c = (HttpURLConnection) url.openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(20_000);
            c.setReadTimeout(60_000);
            c.setRequestProperty("User-Agent", "mtcompress-fetch");
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int code = c.getResponseCode();
            if (code >= 300 && code < 400 && c.getHeaderField("Location") != null && redirects < 5) {
                url = URI.create(url.toString()).resolve(c.getHeaderField("Location")).toURL();
                c.disconnect();
                continue;
            }
            break;
        }
        int code = c.getResponseCode();
        boolean append;
        long total;
        if (code == 206 && have > 0 && contentRangeStart(c) == have) {
            append = true;
            total = have + c.getContentLengthLong();
        } else if (code == 200) {
            append = false;
            have = 0;
            total = c.getContentLengthLong();
        } else if (code == 416 && have > 0) {
            c.disconnect();
            return f.size() == null || f.size() == have;
        } else {
            c.disconnect();
            throw new HttpStatus(code);
        }
        if (total < 0 && f.size() != null) {
            total = f.size();
        }
        ProgressBar bar = null;
        if (progress) {
            bar = new ProgressBarBuilder().setTaskName(f.file()).setInitialMax(Math.max(total, 0))
                    .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", 1 << 20).showSpeed().setUpdateIntervalMillis(500)
                    .build();
            bar.stepTo(have);
        }
        long got = have;
        try (InputStream in = c.getInputStream();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                got += n;
                if (bar != null) {
                    bar.stepTo(got);
                }
            }
        } catch (IOException e) {
            // keep what arrived in .part: the next attempt resumes from there
            return false;
        } finally {
            if (bar != null) {
                bar.close();
            }
            c.disconnect();
        }
        return total < 0 || got == total;
    }

    private static long contentRangeStart(HttpURLConnection c) {
        String cr = c.getHeaderField("Content-Range");
        if (cr == null) {
            return -1;
        }
        try {
            String s = cr.trim().replaceFirst("^bytes\\s+", "");
            return Long.parseLong(s.substring(0, s.indexOf('-')).trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Null if {@code file} (with sha256 {@code sha}) fits the spec, else what is wrong. */
    private static String check(DataFile f, Path file, String sha) {
        try {
            long size = Files.size(file);
            if (f.size() != null && f.size() != size) {
                return "size " + size + " bytes, expected " + f.size();
            }
        } catch (IOException e) {
            return e.getMessage();
        }
        if (f.sha256() != null && !f.sha256().equals(sha)) {
            return "sha256 mismatch: expected " + f.sha256() + ", got " + sha;
        }
        return null;
    }

    private static String copyHashing(InputStream in, Path out, boolean append, long[] count) throws IOException {
        MessageDigest md = Hashing.sha256();
        try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                o.write(buf, 0, n);
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void install(Path part, Path target, String sha) {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + part + " to " + target + ": " + e.getMessage(), e);
        }
        writeSidecar(target, sha);
    }

    private static Path sidecar(Path target) {
        return target.resolveSibling(target.getFileName() + ".sha256");
    }

    private static void writeSidecar(Path target, String sha) {
        try {
            Files.writeString(sidecar(target), sha + " " + Files.size(target) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + sidecar(target) + ": " + e.getMessage(), e);
        }
    }

    /** The sha256 recorded beside {@code target} if its recorded size still matches, else null. */
    private static String trustedSha(Path target) {
        Path s = sidecar(target);
        try {
            if (!Files.isRegularFile(s)) {
                return null;
            }
            String[] parts = Files.readString(s, StandardCharsets.UTF_8).trim().split(" ");
            if (parts.length == 2 && Long.parseLong(parts[1]) == Files.size(target)
                    && Files.getLastModifiedTime(s).compareTo(Files.getLastModifiedTime(target)) >= 0) {
                return parts[0];
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort; the caller reports the failure that matters
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MtcException("interrupted while waiting to retry a download", e);
        }
    }
}
