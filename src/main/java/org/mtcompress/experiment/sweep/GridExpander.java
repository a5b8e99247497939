package org.mtcompress.experiment.sweep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.mtcompress.util.Hashing;
import org.mtcompress.util.MtcException;

/**
 * Expands a sweep into its ordered runs.
 *
 * <p>Axes: every {@code grid} key (in declaration order) is one axis; every {@code zip} group (keys whose
 * lists have equal lengths and are walked together) is one more axis after them. The runs are the cartesian
 * product of the axes with the first axis varying slowest, like nested loops written in file order.
 *
 * <p>Names: each varying key contributes {@code label + value}, joined by {@code -}, e.g.
 * {@code compress.bits=4, compress.scope=self_attention -> bits4-scope_self_attention}. The label is the last
 * segment of the dotted key, or more segments when two keys share their last one
 * ({@code encoder.bits}, {@code decoder.bits} -> {@code encoder_bits4-decoder_bits4}), and never starting at a list
 * position ({@code stages.0.compressor.bits}, {@code stages.1.compressor.bits} -> {@code stages_0_compressor_bits4-…}). A number is
 * appended directly, anything else after {@code _}. Characters outside {@code [A-Za-z0-9.+-]} become
 * {@code _}. Names that still collide (compared ignoring case, for case-insensitive filesystems) get a short
 * hash of their overrides appended; over-long names are cut and get the hash. A sweep without axes is one run
 * named {@code base}. The names depend only on the keys and values, so they are stable between invocations
 * and a re-run finds its finished folders.
 */
public final class GridExpander {
    /** Names longer than this are cut and suffixed with a hash. */
    public static final int MAX_NAME = 120;

    private GridExpander() {
    }

    /**
     * @param base fixed overrides for every run (not part of the names), dotted key to value
     * @param grid dotted key to the list of its values (cartesian product)
     * @param zips groups of dotted key to equally long lists of values (walked in step)
     */
    public static List<SweepRun> expand(Map<String, ?> base, Map<String, ? extends List<?>> grid,
                                        List<? extends Map<String, ? extends List<?>>> zips) {
        List<List<Map<String, Object>>> axes = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        for (String key : base.keySet()) {
            claim(owner, key, "overrides");
        }
        for (Map.Entry<String, ? extends List<?>> e : grid.entrySet()) {
            String key = e.getKey();
            claim(owner, key, "grid");
            List<?> values = e.getValue();
            if (values == null || values.isEmpty()) {
                throw new MtcException("grid key '" + key + "' needs a non-empty list of values");
            }
            checkDistinct("grid key '" + key + "'", values);
            List<Map<String, Object>> axis = new ArrayList<>();
            for (Object v : values) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put(key, v);
                axis.add(point);
            }
            axes.add(axis);
        }
        for (int g = 0; g < zips.size(); g++) {
            Map<String, ? extends List<?>> group = zips.get(g);
            if (group.isEmpty()) {
                throw new MtcException("zip group " + (g + 1) + " is empty");
            }
            int length = -1;
            String first = null;
            for (Map.Entry<String, ? extends List<?>> e : group.entrySet()) {
                claim(owner, e.getKey(), "zip");
                List<?> values = e.getValue();
                if (values == null || values.isEmpty()) {
                    throw new MtcException("zip key '" + e.getKey() + "' needs a non-empty list of values");
                }
                if (length < 0) {
                    length = values.size();
                    first = e.getKey();
                } else if (values.size() != length) {
                    throw new MtcException("zip lists must have equal lengths: '" + first + "' has " + length
                            + " values but '" + e.getKey() + "' has " + values.size());
                }
            }
            List<Map<String, Object>> axis = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                Map<String, Object> point = new LinkedHashMap<>();
                for (Map.Entry<String, ? extends List<?>> e : group.entrySet()) {
                    point.put(e.getKey(), e.getValue().get(i));
                }
                axis.add(point);
            }
            checkDistinct("zip group " + (g + 1) + " (" + String.join(", ", group.keySet()) + ")",
                    axis.stream().map(GridExpander::describe).toList());
            axes.add(axis);
        }

        List<String> varying = new ArrayList<>();
        for (List<Map<String, Object>> axis : axes) {
            varying.addAll(axis.get(0).keySet());
        }
        Map<String, String> labels = labels(varying);

        List<String> baseOverrides = new ArrayList<>();
        base.forEach((k, v) -> baseOverrides.add(k + "=" + formatValue(v)));

        List<Map<String, Object>> points = new ArrayList<>();
        product(axes, 0, new LinkedHashMap<>(), points);

        List<String> names = new ArrayList<>();
        List<List<String>> overrideLists = new ArrayList<>();
        for (Map<String, Object> point : points) {
            List<String> overrides = new ArrayList<>(baseOverrides);
            StringJoiner name = new StringJoiner("-");
            point.forEach((k, v) -> {
                overrides.add(k + "=" + formatValue(v));
                name.add(namePart(labels.get(k), v));
            });
            String n = point.isEmpty() ? "base" : name.toString();
            if (n.length() > MAX_NAME) {
                n = n.substring(0, MAX_NAME - 9) + "-" + shortHash(overrides);
            }
            names.add(n);
            overrideLists.add(overrides);
        }
        // names that collide (ignoring case) get the hash of their overrides
        Map<String, Integer> counts = new HashMap<>();
        for (String n : names) {
            counts.merge(n.toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        List<SweepRun> runs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (counts.get(n.toLowerCase(Locale.ROOT)) > 1) {
                n = n + "-" + shortHash(overrideLists.get(i));
            }
            if (!seen.add(n.toLowerCase(Locale.ROOT))) {
                throw new MtcException("two runs of the sweep would share the folder '" + n + "'");
            }
            runs.add(new SweepRun(n, overrideLists.get(i)));
        }
        return runs;
    }

    private static void claim(Map<String, String> owner, String key, String section) {
        if (key == null || key.isBlank()) {
            throw new MtcException(section + " has an empty key");
        }
        String before = owner.putIfAbsent(key, section);
        if (before != null) {
            throw new MtcException("key '" + key + "' is set twice: in " + before + " and in " + section);
        }
    }

    private static void checkDistinct(String what, List<?> values) {
        Set<String> seen = new HashSet<>();
        for (Object v : values) {
            if (!seen.add(formatValue(v))) {
                throw new MtcException(what + " lists the value " + formatValue(v) + " twice");
            }
        }
    }

    private static String describe(Map<String, Object> point) {
        StringJoiner j = new StringJoiner(", ");
        point.forEach((k, v) -> j.add(k + "=" + formatValue(v)));
        return j.toString();
    }

    private static void product(List<List<Map<String, Object>>> axes, int axis, Map<String, Object> current,
                                List<Map<String, Object>> out) {
        if (axis == axes.size()) {
            out.add(new LinkedHashMap<>(current));
            return;
        }
        for (Map<String, Object> point : axes.get(axis)) {
            Map<String, Object> next = new LinkedHashMap<>(current);
            next.putAll(point);
            product(axes, axis + 1, next, out);
        }
    }

    /** The shortest dotted suffix of each key that no other key shares, with dots as {@code _}. */
    static Map<String, String> labels(List<String> keys) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String key : keys) {
            String[] parts = key.split("\\.");
            String label = key;
            for (int take = 1; take <= parts.length; take++) {
                String suffix = String.join(".", java.util.Arrays.copyOfRange(parts, parts.length - take, parts.length));
                boolean shared = false;
                for (String other : keys) {
                    if (!other.equals(key) && (other.equals(suffix) || other.endsWith("." + suffix))) {
                        shared = true;
                        break;
                    }
                }
                // a list position alone says little: stages.1.compressor.bits is labelled stages_1_compressor_bits
                boolean position = parts[parts.length - take].matches("[0-9]+") && take < parts.length;
                if (!shared && !position) {
                    label = suffix;
                    break;
                }
            }
            labels.put(key, sanitize(label.replace('.', '_')));
        }
        return labels;
    }

    static String namePart(String label, Object value) {
        String v = sanitize(nameValue(value));
        if (v.isEmpty()) {
            v = "empty";
        }
        char c = v.charAt(0);
        boolean numeric = Character.isDigit(c) || ((c == '-' || c == '.') && v.length() > 1);
        return numeric ? label + v : label + "_" + v;
    }

    private static String nameValue(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
        }
        if (value instanceof List<?> list) {
            StringJoiner j = new StringJoiner("_");
            list.forEach(x -> j.add(nameValue(x)));
            return j.toString();
        }
        return formatValue(value);
    }

    /** Keeps {@code [A-Za-z0-9.+-]}, turns runs of anything else into one {@code _}, trims {@code _}. */
    static String sanitize(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '+';
            if (ok) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '_') {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    /** A value as it appears on the right of {@code key=value}: YAML flow style. */
    public static String formatValue(Object v) {
        if (v == null) {
            return "~";
        }
        if (v instanceof List<?> list) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            list.forEach(x -> j.add(formatValue(x)));
            return j.toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            map.forEach((k, x) -> j.add(k + ": " + formatValue(x)));
            return j.toString();
        }
        return String.valueOf(v);
    }

    private static String shortHash(List<String> overrides) {
        return Hashing.sha256Hex(String.join("\n", overrides)).substring(0, 8);
    }
}
