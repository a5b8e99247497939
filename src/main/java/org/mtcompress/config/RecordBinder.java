package org.mtcompress.config;

import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds immutable records from {@link ConfigNode}s, strictly: unknown keys, wrong types, values out of
 * {@link Range} and missing required keys are {@link ConfigException}s naming the source and the key path.
 * YAML keys are snake_case; record components are the same words in camelCase.
 */
final class RecordBinder {
    private RecordBinder() {
    }

    static <T> T bind(ConfigNode node, Class<T> type, Source fallback) {
        return type.cast(bindValue(node, type, type, "", fallback));
    }

    private static Object bindValue(ConfigNode node, Class<?> raw, Type generic, String key, Source where) {
        if (raw == ConfigNode.class) {
            // a free-form section (a sweep's grid: names keys of other records): its reader checks it, with lines
            return node instanceof ConfigNode.Scalar s && s.kind() == ConfigNode.Scalar.Kind.NULL ? null : node;
        }
        if (raw.isRecord()) {
            return bindRecord(node, raw, key, where);
        }
        if (node instanceof ConfigNode.Scalar s && s.kind() == ConfigNode.Scalar.Kind.NULL) {
            if (raw.isPrimitive()) {
                throw new ConfigException(s.source(), "key '" + key + "' must have a value");
            }
            return null;
        }
        ChosenBy chosenBy = raw.getAnnotation(ChosenBy.class);
        if (chosenBy != null) {
            return bindChosen(node, raw, chosenBy, key, where);
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!(node instanceof ConfigNode.Sequence seq)) {
                throw wrongType(node, key, "a list");
            }
            Type elem = typeArg(generic, 0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                ConfigNode item = seq.items().get(i);
                out.add(bindValue(item, rawOf(elem), elem, key + "[" + i + "]", item.source()));
            }
            return List.copyOf(out);
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(node instanceof ConfigNode.Mapping m)) {
                throw wrongType(node, key, "a mapping");
            }
            Type val = typeArg(generic, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            for (ConfigNode.Entry e : m.entries().values()) {
                out.put(e.key(), bindValue(e.value(), rawOf(val), val, join(key, e.key()), e.keySource()));
            }
            return java.util.Collections.unmodifiableMap(out);
        }
        if (!(node instanceof ConfigNode.Scalar s)) {
            throw wrongType(node, key, describe(raw));
        }
        return bindScalar(s, raw, key);
    }

    /** A {@link ChosenBy} mapping: expand {@code use:}, read the choosing key, bind the chosen record. */
    private static Object bindChosen(ConfigNode node, Class<?> raw, ChosenBy by, String key, Source where) {
        if (!(node instanceof ConfigNode.Mapping m)) {
            throw wrongType(node, key, "a mapping");
        }
        RecordChooser chooser;
        try {
            chooser = by.value().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make " + by.value().getName(), e);
        }
        m = Presets.expand(m, by.presets(), key);
        ConfigNode.Entry tag = m.entries().get(by.key());
        if (tag == null) {
            throw new ConfigException(m.source(), "missing required key '" + join(key, by.key()) + "'");
        }
        if (!(tag.value() instanceof ConfigNode.Scalar s) || s.value() == null) {
            throw wrongType(tag.value(), join(key, by.key()), "a name");
        }
        Class<?> type;
        try {
            type = chooser.choose(s.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.source(), "key '" + join(key, by.key()) + "': " + e.getMessage());
        }
        if (!type.isRecord() || !raw.isAssignableFrom(type)) {
            throw new IllegalStateException(type + " is not a record implementing " + raw);
        }
        return bindRecord(m, type, key, where);
    }

    private static Object bindScalar(ConfigNode.Scalar s, Class<?> raw, String key) {
        String v = s.value();
        try {
            if (raw == String.class) {
                return v;
            }
            if (raw == int.class || raw == Integer.class) {
                requireKind(s, key, "an integer", ConfigNode.Scalar.Kind.INT);
                return Math.toIntExact(Long.decode(v.replace("_", "")));
            }
            if (raw == long.class || raw == Long.class) {
                requireKind(s, key, "an integer", ConfigNode.Scalar.Kind.INT);
                return Long.decode(v.replace("_", ""));
            }
            if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
                requireKind(s, key, "a number", ConfigNode.Scalar.Kind.INT, ConfigNode.Scalar.Kind.FLOAT);
                double d = Double.parseDouble(v.replace("_", ""));
                return raw == float.class || raw == Float.class ? (Object) (float) d : (Object) d;
            }
            if (raw == boolean.class || raw == Boolean.class) {
                requireKind(s, key, "true or false", ConfigNode.Scalar.Kind.BOOL);
                return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
            }
            if (raw.isEnum()) {
                String want = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                for (Object c : raw.getEnumConstants()) {
                    if (((Enum<?>) c).name().equals(want)) {
                        return c;
                    }
                }
                throw new ConfigException(s.source(), "key '" + key + "': '" + v + "' is not one of "
                        + Arrays.stream(raw.getEnumConstants()).map(RecordBinder::enumText)
                        .collect(Collectors.joining(", ")));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(s.source(), "key '" + key + "': expected " + describe(raw) + ", got '" + v + "'");
        }
        throw new IllegalStateException("config field type not supported: " + raw + " (key " + key + ")");
    }

    private static void requireKind(ConfigNode.Scalar s, String key, String what, ConfigNode.Scalar.Kind... kinds) {
        for (ConfigNode.Scalar.Kind k : kinds) {
            if (s.kind() == k) {
                return;
            }
        }
        throw new ConfigException(s.source(), "key '" + key + "': expected " + what + ", got '" + s.value() + "'");
    }

    private static Object bindRecord(ConfigNode node, Class<?> type, String key, Source where) {
        ConfigNode.Mapping map;
        if (node == null || (node instanceof ConfigNode.Scalar s && s.kind() == ConfigNode.Scalar.Kind.NULL)) {
            map = new ConfigNode.Mapping(Map.of(), node == null ? where : node.source());
        } else if (node instanceof ConfigNode.Mapping m) {
            map = m;
        } else {
            throw wrongType(node, key, "a mapping");
        }
        RecordComponent[] comps = type.getRecordComponents();
        Map<String, RecordComponent> byYamlName = new LinkedHashMap<>();
        for (RecordComponent c : comps) {
            byYamlName.put(snake(c.getName()), c);
        }
        for (ConfigNode.Entry e : map.entries().values()) {
            if (!byYamlName.containsKey(e.key())) {
                throw new ConfigException(e.keySource(), "unknown key '" + join(key, e.key()) + "' (allowed: "
                        + String.join(", ", byYamlName.keySet()) + ")");
            }
        }
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            String yamlName = snake(c.getName());
            String path = join(key, yamlName);
            ConfigNode.Entry e = map.entries().get(yamlName);
            ConfigNode value;
            Source src;
            if (e != null) {
                value = e.value();
                src = e.keySource();
            } else if (c.getAnnotation(Default.class) != null) {
                src = defaultSource(c);
                value = defaultNode(c, src);
            } else if (c.getType().isRecord() && allDefaulted(c.getType())) {
                value = null;
                src = map.source();
            } else {
                throw new ConfigException(map.source(), "missing required key '" + path + "'"
                        + (c.getAnnotation(Doc.class) != null ? " (" + c.getAnnotation(Doc.class).value() + ")" : ""));
            }
            if (c.getType().isRecord() && value instanceof ConfigNode.Scalar sc
                    && sc.kind() == ConfigNode.Scalar.Kind.NULL && c.getAnnotation(Default.class) != null
                    && c.getAnnotation(Default.class).value().equals("~")) {
                args[i] = null; // an optional section left absent
                continue;
            }
            Object bound = bindValue(value, c.getType(), c.getGenericType(), path, src);
            checkRange(c, bound, path, value == null ? src : value.source());
            args[i] = bound;
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException ite) {
            Throwable cause = ite.getCause();
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            if (cause instanceof IllegalArgumentException iae) {
                throw new ConfigException(map.source(), (key.isEmpty() ? "" : "in '" + key + "': ") + iae.getMessage());
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), cause);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), ex);
        }
    }

    /** The value of a component's {@link Default}, bound to the component's type ({@code null} for "~"). */
    static Object defaultOf(RecordComponent c) {
        if (c.getAnnotation(Default.class) == null) {
            throw new IllegalArgumentException(c.getName() + " has no default");
        }
        if (c.getAnnotation(Default.class).value().equals("~")) {
            return null;
        }
        Source src = defaultSource(c);
        return bindValue(defaultNode(c, src), c.getType(), c.getGenericType(), snake(c.getName()), src);
    }

    private static Source defaultSource(RecordComponent c) {
        return Source.defaultOf(c.getDeclaringRecord().getSimpleName() + "." + snake(c.getName()));
    }

    /** A component's {@link Default} text as a config node ("~" is a null scalar). */
    private static ConfigNode defaultNode(RecordComponent c, Source src) {
        String text = c.getAnnotation(Default.class).value();
        return text.equals("~") ? new ConfigNode.Scalar(null, ConfigNode.Scalar.Kind.NULL, src)
                : YamlReader.parse(new StringReader(text), src.origin());
    }

    /** True when every component of {@code type} has a default (so the whole section may be left out). */
    static boolean allDefaulted(Class<?> type) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getAnnotation(Default.class) == null && !(c.getType().isRecord() && allDefaulted(c.getType()))) {
                return false;
            }
        }
        return true;
    }

    private static void checkRange(RecordComponent c, Object value, String key, Source src) {
        Range r = c.getAnnotation(Range.class);
        if (r == null || value == null) {
            return;
        }
        double x;
        if (value instanceof Number n) {
            x = n.doubleValue();
        } else if (value instanceof List<?> l) {
            x = l.size();
        } else {
            return;
        }
        if (x < r.min() || x > r.max() || Double.isNaN(x)) {
            throw new ConfigException(src, "key '" + key + "' = " + (value instanceof List ? "a list of " + l(x) : value)
                    + " is out of range [" + fmt(r.min()) + ", " + fmt(r.max()) + "]");
        }
    }

    private static String l(double x) {
        return (long) x + " items";
    }

    private static String fmt(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static ConfigException wrongType(ConfigNode node, String key, String expected) {
        String got = node instanceof ConfigNode.Mapping ? "a mapping"
                : node instanceof ConfigNode.Sequence ? "a list" : "'" + ((ConfigNode.Scalar) node).value() + "'";
        return new ConfigException(node.source(), "key '" + key + "': expected " + expected + ", got " + got);
    }

    private static String describe(Class<?> raw) {
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "an integer";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return "a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw.isEnum()) {
            return "one of " + Arrays.stream(raw.getEnumConstants()).map(RecordBinder::enumText)
                    .collect(Collectors.joining(", "));
        }
        return "a " + raw.getSimpleName().toLowerCase(Locale.ROOT);
    }

    static String enumText(Object e) {
        return ((Enum<?>) e).name().toLowerCase(Locale.ROOT);
    }

    private static Type typeArg(Type generic, int i) {
        if (generic instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        throw new IllegalStateException("config collections need type arguments: " + generic);
    }

    private static Class<?> rawOf(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported config type " + t);
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** dModel -> d_model; maxSteps -> max_steps. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
