package org.mtcompress.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed config value that remembers where it came from, so errors can name the file and line even after
 * {@code extends:} merging and command-line overrides.
 */
public sealed interface ConfigNode {
    Source source();

    /** A YAML scalar as text; {@code kind} says how YAML typed it. {@code null} value means YAML null. */
    record Scalar(String value, Kind kind, Source source) implements ConfigNode {
        public enum Kind { STRING, INT, FLOAT, BOOL, NULL }
    }

    /** A YAML sequence. */
    record Sequence(List<ConfigNode> items, Source source) implements ConfigNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A YAML mapping; entries keep their order and each key's own source. */
    record Mapping(Map<String, Entry> entries, Source source) implements ConfigNode {
        public Mapping {
            entries = new LinkedHashMap<>(entries);
        }

        public ConfigNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    /** One key of a mapping with the line the key is on. */
    record Entry(String key, Source keySource, ConfigNode value) {
    }

    /** {@code base} with {@code top} merged over it: mappings merge key by key, anything else is replaced. */
    static ConfigNode merge(ConfigNode base, ConfigNode top) {
        if (base instanceof Mapping b && top instanceof Mapping t) {
            Map<String, Entry> out = new LinkedHashMap<>(b.entries());
            for (Entry e : t.entries().values()) {
                Entry old = out.get(e.key());
                ConfigNode v = old == null ? e.value() : merge(old.value(), e.value());
                out.put(e.key(), new Entry(e.key(), e.keySource(), v));
            }
            return new Mapping(out, t.source());
        }
        return top;
    }

    /** Plain Java value (Map, List, String/Long/Double/Boolean, null) for printing. */
    static Object toPlain(ConfigNode node) {
        if (node instanceof Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, toPlain(e.value())));
            return out;
        }
        if (node instanceof Sequence s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(toPlain(i)));
            return out;
        }
        Scalar sc = (Scalar) node;
        return sc.value();
    }

    /**
     * Plain Java value typed as YAML typed it: mappings and lists as {@code Map} and {@code List}, integers as
     * {@code Integer} (or {@code Long} when larger), other numbers as {@code Double}, booleans, strings, null.
     */
    static Object toValue(ConfigNode node) {
        if (node instanceof Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, toValue(e.value())));
            return out;
        }
        if (node instanceof Sequence s) {
            List<Object> out = new ArrayList<>();
            s.items().forEach(i -> out.add(toValue(i)));
            return out;
        }
        Scalar sc = (Scalar) node;
        String v = sc.value();
        try {
            switch (sc.kind()) {
                case NULL:
                    return null;
                case BOOL:
                    return List.of("true", "yes", "on").contains(v.toLowerCase(java.util.Locale.ROOT));
                case INT: {
                    long l = Long.decode(v.replace("_", ""));
                    return l == (int) l ? (Object) (int) l : (Object) l;
                }
                case FLOAT:
                    return Double.parseDouble(v.replace("_", ""));
                default:
                    return v;
            }
        } catch (NumberFormatException e) {
            return v; // YAML forms Java does not parse (.inf, 0o17, 1:30) stay text
        }
    }
}
