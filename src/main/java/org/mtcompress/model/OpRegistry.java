package org.mtcompress.model;

import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.util.HashUtil;

import java.util.HashMap;
import java.util.Map;

/**
 * Makes SameDiff M2.1 copy a native op as one of our classes. SameDiff builds the gradient graph over copies of the
 * forward ops, made by serializing each op and finding its class again by (native op hash, op name); an op class of
 * ours that overrides {@code doDiff} is therefore lost in the copy unless it is the class registered for that pair.
 *
 * <p>The entry is process-wide: every copy of that native op becomes our class, so our classes compute the same
 * forward op and fall back to M2.1's derivative for configurations they do not handle.
 *
 * <p>M2.1 has no public way to register an op class, so the entry goes into the registry's map directly. If a DL4J
 * upgrade renames that private field, this fails when the op class loads (and every test with a training step fails),
 * not with a silently different gradient.
 */
final class OpRegistry {
    private OpRegistry() {
    }

    /** From now on, copies of the native op {@code nativeName} are instances of {@code cls}. */
    @SuppressWarnings("unchecked")
    static synchronized void copyAs(String nativeName, Class<?> cls) {
        try {
            java.lang.reflect.Field f = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClasses");
            f.setAccessible(true);
            Map<Long, Map<String, Class<?>>> byHash =
                    (Map<Long, Map<String, Class<?>>>) f.get(DifferentialFunctionClassHolder.getInstance());
            byHash.computeIfAbsent(HashUtil.getLongHash(nativeName), h -> new HashMap<>()).put(nativeName, cls);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot register " + cls.getSimpleName() + " with SameDiff's op registry "
                    + "(DifferentialFunctionClassHolder changed in this nd4j version)", e);
        }
    }
}
