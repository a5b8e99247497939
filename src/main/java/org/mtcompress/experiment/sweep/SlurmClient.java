package org.mtcompress.experiment.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mtcompress.util.MtcException;

/**
 * Talks to Slurm through its command-line tools ({@code sinfo}, {@code sbatch}, {@code squeue}, {@code sacct}),
 * which find the cluster through {@code SLURM_CONF} or {@code /etc/slurm/slurm.conf} as usual. The parsing of
 * their output is in static methods so that it can be tested on recorded text.
 */
public class SlurmClient {
    /** The output of one command. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final long timeoutSeconds;

    public SlurmClient() {
        this(60);
    }

    public SlurmClient(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Runs a Slurm tool; a tool that is missing or hangs gives an exit code of 127 or 124. */
    public Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            // outputs are small; read both fully after the process ends (or in the timeout)
            var out = p.getInputStream();
            var err = p.getErrorStream();
            StringBuilder so = new StringBuilder();
            StringBuilder se = new StringBuilder();
            Thread t1 = pump(out, so);
            Thread t2 = pump(err, se);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "", command.get(0) + " did not answer within " + timeoutSeconds + " s");
            }
            t1.join();
            t2.join();
            return new Result(p.exitValue(), so.toString(), se.toString());
        } catch (IOException e) {
            return new Result(127, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted");
        }
    }

    private static Thread pump(java.io.InputStream in, StringBuilder into) {
        Thread t = new Thread(() -> {
            try {
                into.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the exit code tells what went wrong
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Whether a Slurm controller answers ({@code sinfo -h}). */
    public boolean available() {
        return exec(List.of("sinfo", "-h")).exitCode() == 0;
    }

    /** Submits {@code script} (with {@code --dependency=afterok:ID} when {@code afterOk} is set); returns the job id. */
    public String submit(Path script, String afterOk) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (afterOk != null) {
            cmd.add("--dependency=afterok:" + afterOk);
        }
        cmd.add(script.toString());
        Result r = exec(cmd);
        if (r.exitCode() != 0) {
            throw new MtcException("sbatch " + script + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
        return parseJobId(r.stdout());
    }

    /**
     * The state of every job and array task of {@code jobIds} that Slurm still knows, by id ({@code 12} or
     * {@code 12_3}): what squeue says for queued and running ones, else sacct's record.
     */
    public Map<String, String> states(Collection<String> jobIds) {
        Map<String, String> states = new LinkedHashMap<>();
        if (jobIds.isEmpty()) {
            return states;
        }
        String ids = String.join(",", jobIds);
        Result acct = exec(List.of("sacct", "-n", "-P", "-X", "-j", ids, "-o", "JobID,State"));
        if (acct.exitCode() == 0) {
            states.putAll(parseSacct(acct.stdout()));
        }
        Result queue = exec(List.of("squeue", "-h", "-r", "-j", ids, "-o", "%i|%T"));
        if (queue.exitCode() == 0) {
            states.putAll(parseSqueue(queue.stdout()));
        }
        if (acct.exitCode() != 0 && queue.exitCode() != 0) {
            throw new MtcException("neither sacct nor squeue answered: " + acct.stderr().strip() + " / "
                    + queue.stderr().strip());
        }
        return states;
    }

    /** Lines of {@code sacct -n -P -X -j ID -o JobID,State,ExitCode,JobName}. */
    public List<String[]> accounting(String jobId) {
        Result r = exec(List.of("sacct", "-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode,JobName"));
        if (r.exitCode() != 0) {
            throw new MtcException("sacct failed: " + r.stderr().strip());
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.strip().split("\\|", -1));
            }
        }
        return rows;
    }

    /** {@code sbatch --parsable} prints {@code ID} or {@code ID;CLUSTER}. */
    static String parseJobId(String out) {
        String s = out.strip();
        int semi = s.indexOf(';');
        if (semi >= 0) {
            s = s.substring(0, semi);
        }
        if (!s.matches("\\d+")) {
            throw new MtcException("sbatch printed no job id: '" + out.strip() + "'");
        }
        return s;
    }

    /** Lines {@code ID|STATE} from {@code squeue -h -r -o %i|%T}. */
    static Map<String, String> parseSqueue(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|");
            if (f.length >= 2 && !f[0].isEmpty()) {
                for (String id : expandArrayId(f[0])) {
                    m.put(id, f[1].strip());
                }
            }
        }
        return m;
    }

    /**
     * Lines {@code ID|STATE} from {@code sacct -n -P -X -o JobID,State}; {@code CANCELLED by 0} becomes
     * {@code CANCELLED}, and a pending array's compressed id {@code 12_[0-3%2]} one entry per task.
     */
    static Map<String, String> parseSacct(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|");
            if (f.length >= 2 && !f[0].isEmpty()) {
                String state = f[1].strip().split("\\s+")[0];
                for (String id : expandArrayId(f[0])) {
                    m.put(id, state);
                }
            }
        }
        return m;
    }

    /** {@code 12_[0-2,5%2]} -> {@code 12_0, 12_1, 12_2, 12_5}; any other id is returned as it is. */
    static List<String> expandArrayId(String id) {
        int open = id.indexOf("_[");
        if (open < 0 || !id.endsWith("]")) {
            return List.of(id);
        }
        String job = id.substring(0, open);
        String inner = id.substring(open + 2, id.length() - 1);
        int pct = inner.indexOf('%');
        if (pct >= 0) {
            inner = inner.substring(0, pct);
        }
        List<String> ids = new ArrayList<>();
        for (String part : inner.split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0].strip());
            int to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
            for (int i = from; i <= to; i++) {
                ids.add(job + "_" + i);
            }
        }
        return ids;
    }
}
