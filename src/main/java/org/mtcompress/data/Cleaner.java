package org.mtcompress.data;

import java.util.ArrayList;
import java.util.List;

/** Applies {@link Cleaning} to a training split and reports what it dropped and why. */
public final class Cleaner {
    private Cleaner() {
    }

    /**
     * What cleaning did.
     *
     * @param input    pairs before cleaning
     * @param kept     pairs kept
     * @param empty    dropped because a side was empty
     * @param tooLong  dropped because a side had more than maxWords words
     * @param badRatio dropped because of the length ratio
     */
    public record Report(int input, int kept, int empty, int tooLong, int badRatio) {
        @Override
        public String toString() {
            return String.format("kept %,d of %,d pairs (dropped: %,d empty, %,d too long, %,d length ratio)",
                    kept, input, empty, tooLong, badRatio);
        }
    }

    /** The cleaned text and its report. */
    public record Result(ParallelText text, Report report) {
    }

    public static Result clean(ParallelText in, Cleaning c) {
        List<String> s = new ArrayList<>(in.size());
        List<String> t = new ArrayList<>(in.size());
        int empty = 0;
        int tooLong = 0;
        int ratio = 0;
        for (int i = 0; i < in.size(); i++) {
            String a = in.source().get(i);
            String b = in.target().get(i);
            int wa = words(a);
            int wb = words(b);
            if (c.dropEmpty() && (wa == 0 || wb == 0)) {
                empty++;
                continue;
            }
            if (c.maxWords() > 0 && (wa > c.maxWords() || wb > c.maxWords())) {
                tooLong++;
                continue;
            }
            if (c.maxRatio() > 0 && wa > 0 && wb > 0
                    && (double) Math.max(wa, wb) / Math.min(wa, wb) > c.maxRatio()) {
                ratio++;
                continue;
            }
            s.add(a);
            t.add(b);
        }
        return new Result(new ParallelText(List.copyOf(s), List.copyOf(t)),
                new Report(in.size(), s.size(), empty, tooLong, ratio));
    }

    /** Number of whitespace-separated words (Python's notion of whitespace, as {@code str.split()}). */
    public static int words(String s) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean sp = TextReader.isPythonSpace(s.charAt(i));
            if (!sp && !in) {
                n++;
            }
            in = !sp;
        }
        return n;
    }
}
