package org.mtcompress.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on stderr. On a terminal: a progress bar redrawn in place. Without one (a log file, a Slurm
 * job), where a redrawn bar would be cut at 80 columns, a full line every {@code MTC_PROGRESS_SECONDS} seconds
 * (default 30) and at the end: phase, step, loss, learning rate, target tokens per second, elapsed time and ETA.
 */
abstract class TrainingProgress implements AutoCloseable {
    /** Seconds between progress lines without a terminal. */
    static final double LINE_SECONDS = seconds(System.getenv("MTC_PROGRESS_SECONDS"), 30);

    /**
     * @param phase      what is trained (e.g. {@code train}, {@code retrain kmeans4})
     * @param maxSteps   the step limit, or 0 for none
     * @param maxSeconds the training-time limit in seconds, or 0 for none
     * @param startStep  the step training starts from (when resuming)
     * @param startSeconds the training seconds spent before (when resuming)
     */
    static TrainingProgress create(String phase, long maxSteps, double maxSeconds, long startStep,
                                   double startSeconds) {
        return System.console() != null ? new Bar(phase, maxSteps, maxSeconds, startStep, startSeconds)
                : new Lines(System.err, phase, maxSteps, maxSeconds, startStep, startSeconds, LINE_SECONDS);
    }

    /** Called after every optimizer step. */
    abstract void update(long step, double trainSeconds, double loss, double lr, double tokensPerSecond);

    @Override
    public abstract void close();

    private static double seconds(String value, double otherwise) {
        try {
            return value == null || value.isBlank() ? otherwise : Math.max(0, Double.parseDouble(value.strip()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The terminal's progress bar; with only a time budget it counts training seconds so its ETA means something. */
    private static final class Bar extends TrainingProgress {
        private final ProgressBar bar;
        private final boolean bySeconds;
        private final double maxSeconds;

        Bar(String phase, long maxSteps, double maxSeconds, long startStep, double startSeconds) {
            this.bySeconds = maxSteps <= 0 && maxSeconds > 0;
            this.maxSeconds = maxSeconds;
            this.bar = new ProgressBarBuilder().setTaskName(bySeconds ? phase + " (s)" : phase)
                    .setInitialMax(bySeconds ? Math.round(maxSeconds) : maxSteps > 0 ? maxSteps : -1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000).continuousUpdate()
                    .startsFrom(bySeconds ? Math.round(startSeconds) : startStep, java.time.Duration.ZERO)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }

        @Override
        void update(long step, double trainSeconds, double loss, double lr, double tokensPerSecond) {
            bar.stepTo(bySeconds ? Math.min(Math.round(trainSeconds), Math.round(maxSeconds)) : step);
            bar.setExtraMessage(String.format(Locale.ROOT, "step %d loss %.3f lr %.2e %.0f tok/s", step, loss, lr,
                    tokensPerSecond));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Full lines at most every {@code every} seconds of wall time, the first after the first step, and a last one. */
    static final class Lines extends TrainingProgress {
        private final PrintStream out;
        private final String phase;
        private final long maxSteps;
        private final double maxSeconds;
        private final long startStep;
        private final double startSeconds;
        private final double every;
        private final long t0 = System.nanoTime();
        private double lastPrinted = Double.NEGATIVE_INFINITY;
        private String pending;

        Lines(PrintStream out, String phase, long maxSteps, double maxSeconds, long startStep, double startSeconds,
              double every) {
            this.out = out;
            this.phase = phase;
            this.maxSteps = maxSteps;
            this.maxSeconds = maxSeconds;
            this.startStep = startStep;
            this.startSeconds = startSeconds;
            this.every = every;
        }

        @Override
        void update(long step, double trainSeconds, double loss, double lr, double tokensPerSecond) {
            double now = (System.nanoTime() - t0) / 1e9;
            pending = line(step, trainSeconds, loss, lr, tokensPerSecond, now);
            if (now - lastPrinted >= every) {
                out.println(pending);
                lastPrinted = now;
                pending = null;
            }
        }

        /**
         * The line for the state after {@code step}; {@code trainSeconds} counts earlier attempts too,
         * {@code elapsed} is wall time since training started in this process.
         */
        String line(long step, double trainSeconds, double loss, double lr, double tokensPerSecond, double elapsed) {
            StringBuilder sb = new StringBuilder(phase).append(": step ").append(step);
            double eta = Double.NaN;
            if (maxSteps > 0) {
                sb.append('/').append(maxSteps);
                double perStep = step > startStep ? elapsed / (step - startStep) : Double.NaN;
                eta = (maxSteps - step) * perStep;
            }
            if (maxSeconds > 0) {
                double left = Math.max(0, maxSeconds - trainSeconds) * (trainSeconds > startSeconds ? elapsed / (trainSeconds - startSeconds) : 1);
                eta = Double.isNaN(eta) ? left : Math.min(eta, left);
            }
            sb.append(String.format(Locale.ROOT, ", loss %.3f, lr %.2e, %.0f tok/s, elapsed %s, ETA %s", loss, lr,
                    tokensPerSecond, clock(elapsed), Double.isNaN(eta) ? "?" : clock(Math.max(0, eta))));
            return sb.toString();
        }

        @Override
        public void close() {
            if (pending != null) {
                out.println(pending);
                pending = null;
            }
            out.flush();
        }

        private static String clock(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
