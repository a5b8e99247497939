package org.mtcompress.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mtcompress.util.Hashing;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The one strict config loader: YAML file (+ {@code extends:}) + {@code key.path=value} overrides → an immutable
 * record, its resolved content (defaults filled in) and a hash of that content that does not depend on key order.
 */
public final class ConfigLoader {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ConfigLoader() {
    }

    /**
     * A loaded config.
     *
     * @param value    the record
     * @param resolved the record as plain maps and lists (snake_case keys, every default filled in)
     * @param hash     sha256 of the canonical JSON of {@code resolved} (sorted keys), hex
     * @param file     the file it was loaded from (null when built in code)
     */
    public record Loaded<T>(T value, Map<String, Object> resolved, String hash, Path file) {
        /** The first 12 hex digits of the hash: enough to tell configs apart in folder names. */
        public String shortHash() {
            return hash.substring(0, 12);
        }

        /** The resolved config as YAML (block style, keys in record order). */
        public String toYaml() {
            return ConfigLoader.toYaml(resolved);
        }
    }

    /** Loads {@code file} into {@code type}, applying {@code overrides} ({@code key.path=value}) after the file. */
    public static <T> Loaded<T> load(Path file, List<String> overrides, Class<T> type) {
        ConfigNode tree = YamlReader.readWithExtends(file);
        tree = Overrides.apply(tree, overrides);
        T value = RecordBinder.bind(tree, type, Source.file(YamlReader.display(file), 1));
        return of(value, file);
    }

    /**
     * Like {@link #load(Path, List, Class)}, but top-level keys in {@code ignored} are dropped before binding: an
     * experiment file also holds sections read by other parts (a sweep's {@code grid:}, {@code zip:}, {@code sweep:}).
     */
    public static <T extends Record> Loaded<T> load(Path file, List<String> overrides, Class<T> type,
                                                    java.util.Set<String> ignored) {
        ConfigNode tree = YamlReader.readWithExtends(file);
        if (tree instanceof ConfigNode.Mapping m) {
            Map<String, ConfigNode.Entry> kept = new LinkedHashMap<>(m.entries());
            kept.keySet().removeAll(ignored);
            tree = new ConfigNode.Mapping(kept, m.source());
        }
        tree = Overrides.apply(tree, overrides);
        T value = RecordBinder.bind(tree, type, Source.file(YamlReader.display(file), 1));
        return of(value, file);
    }

    /**
     * Loads only the top-level keys of {@code file} in {@code sections} into {@code type}: a file that holds one
     * record's sections beside another's (an experiment file's {@code grid:} and {@code sweep:} beside its
     * experiment keys). With {@code sections} null, every top-level key must belong to {@code type}.
     */
    public static <T extends Record> Loaded<T> loadSections(Path file, Class<T> type, java.util.Set<String> sections) {
        ConfigNode tree = YamlReader.readWithExtends(file);
        if (sections != null && tree instanceof ConfigNode.Mapping m) {
            Map<String, ConfigNode.Entry> kept = new LinkedHashMap<>(m.entries());
            kept.keySet().retainAll(sections);
            tree = new ConfigNode.Mapping(kept, m.source());
        }
        T value = RecordBinder.bind(tree, type, Source.file(YamlReader.display(file), 1));
        return of(value, file);
    }

    /**
     * Where the key {@code path} is written in {@code file} (with what it extends): the line of the deepest key of
     * the path that is there, list items picked by their position from 0 ({@code variants, 2, stages, 1,
     * compressor}); the file's first line when none is. Checks made after loading name their key with it.
     */
    public static Source locate(Path file, List<String> path) {
        ConfigNode node = YamlReader.readWithExtends(file);
        Source at = Source.file(YamlReader.display(file), 1);
        for (String seg : path) {
            if (node instanceof ConfigNode.Mapping m && m.entries().containsKey(seg)) {
                ConfigNode.Entry e = m.entries().get(seg);
                at = e.keySource();
                node = e.value();
            } else if (node instanceof ConfigNode.Sequence s && seg.matches("[0-9]+")
                    && Integer.parseInt(seg) < s.items().size()) {
                node = s.items().get(Integer.parseInt(seg));
                at = node.source();
            } else {
                break;
            }
        }
        return at;
    }

    /** Whether the file (with what it extends) has the top-level key {@code key}. */
    public static boolean hasTopLevelKey(Path file, String key) {
        return YamlReader.readWithExtends(file) instanceof ConfigNode.Mapping m && m.entries().containsKey(key);
    }

    /** Loads YAML text (tests, and configs embedded in other files); {@code origin} names it in errors. */
    public static <T> Loaded<T> parse(String yaml, String origin, Class<T> type) {
        ConfigNode tree = YamlReader.parse(new java.io.StringReader(yaml), origin);
        return of(RecordBinder.bind(tree, type, Source.file(origin, 1)), null);
    }

    /** Wraps a record built in code, computing its resolved form and hash. */
    public static <T> Loaded<T> of(T value, Path file) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved = (Map<String, Object>) toPlain(value);
        return new Loaded<>(value, resolved, hash(plain(value, true)), file);
    }

    /**
     * A copy of {@code value} with {@code overrides} ({@code key.path=value}) applied, checked as strictly as a
     * file: code that derives one config from another (retraining from training) says what it changes by key.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Record> T override(T value, List<String> overrides) {
        ConfigNode tree = YamlReader.parse(new java.io.StringReader(toYaml(toPlain(value))), "derived "
                + value.getClass().getSimpleName());
        tree = Overrides.apply(tree, overrides);
        return (T) RecordBinder.bind(tree, value.getClass(), Source.file("derived " + value.getClass().getSimpleName(), 1));
    }

    /** sha256 (hex) of the canonical JSON of a plain value: maps with sorted keys, no whitespace. */
    public static String hash(Object plain) {
        try {
            return Hashing.sha256Hex(CANONICAL.writeValueAsString(plain));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record (or any config value) as plain maps, lists, numbers, booleans and strings. */
    public static Object toPlain(Object value) {
        return plain(value, false);
    }

    /**
     * {@link #toPlain}; {@code forHash} leaves out {@link AddedLater} keys that hold their default (what
     * {@link #hash} of a config sees).
     */
    private static Object plain(Object value, boolean forHash) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Enum<?> e) {
            return RecordBinder.enumText(e);
        }
        if (value instanceof ConfigNode n) {
            return ConfigNode.toValue(n);
        }
        if (value instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v;
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    v = accessor.invoke(r);
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
                if (forHash && c.getAnnotation(AddedLater.class) != null
                        && java.util.Objects.equals(toPlain(v), toPlain(RecordBinder.defaultOf(c)))) {
                    continue;
                }
                out.put(RecordBinder.snake(c.getName()), plain(v, forHash));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x, forHash)));
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v, forHash)));
            return out;
        }
        return value.toString();
    }

    static String toYaml(Object plain) {
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        opts.setIndent(2);
        opts.setSplitLines(false);
        return new Yaml(opts).dump(plain);
    }
}
