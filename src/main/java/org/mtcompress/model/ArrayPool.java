package org.mtcompress.model;

import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A SameDiff memory manager for training steps that hands a released op output's memory to the next op output of
 * the same type and length, across steps (SameDiff's own cache lives and dies with one session, which
 * {@link TrainingMemory} drops after every step).
 *
 * <p>Why: allocating a fresh native buffer costs a pass over its memory in M2.1 (about 0.2 ms per 2 MB here), and
 * a {@code small} step allocates ~1.6 GB of op outputs: ~13 % of the step was spent in {@code allocateDataBuffer}.
 * Arrays come back here from {@link EagerRelease} and from the session's own releases, under the same rules by
 * which they used to be closed (not a view, closeable, not already returned); each array object is taken back at
 * most once per step. At most {@code maxBytes} wait here; the oldest beyond that are freed.
 */
final class ArrayPool implements SessionMemMgr {
    private final long maxBytes;
    /** Free buffers by (type, length), oldest first within the map's insertion order. */
    private final Map<Key, ArrayDeque<DataBuffer>> free = new LinkedHashMap<>();
    private final Set<INDArray> returned = Collections.newSetFromMap(new IdentityHashMap<>());
    private long pooledBytes;
    private long hits, misses;

    private record Key(DataType type, long length) {
    }

    ArrayPool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public INDArray allocate(boolean detached, DataType type, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (shape.length > 0 && n > 0) {
            ArrayDeque<DataBuffer> q = free.get(new Key(type, n));
            DataBuffer b = q == null ? null : q.pollLast();
            if (b != null) {
                pooledBytes -= n * type.width();
                hits++;
                return Nd4j.create(b, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', type);
            }
        }
        misses++;
        return Nd4j.createUninitialized(type, shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor d) {
        if (d.isEmpty()) {
            return Nd4j.create(d);
        }
        return allocate(detached, d.dataType(), d.getShape());
    }

    @Override
    public INDArray ulike(INDArray arr) {
        return allocate(false, arr.dataType(), arr.shape());
    }

    @Override
    public INDArray dup(INDArray arr) {
        INDArray out = ulike(arr);
        out.assign(arr);
        return out;
    }

    /** Takes the array's memory back for reuse when nothing else can see it (else leaves it to the collector). */
    @Override
    public void release(INDArray a) {
        if (a == null || a.isView() || !a.closeable() || a.wasClosed() || a.data().length() != a.length()
                || a.length() == 0 || !returned.add(a)) {
            return;
        }
        DataBuffer b = a.data();
        long bytes = a.length() * a.dataType().width();
        free.computeIfAbsent(new Key(a.dataType(), a.length()), k -> new ArrayDeque<>()).addLast(b);
        pooledBytes += bytes;
        evict();
    }

    /** Frees the oldest waiting buffers until at most maxBytes wait. */
    private void evict() {
        Iterator<Map.Entry<Key, ArrayDeque<DataBuffer>>> it = free.entrySet().iterator();
        while (pooledBytes > maxBytes && it.hasNext()) {
            Map.Entry<Key, ArrayDeque<DataBuffer>> e = it.next();
            while (pooledBytes > maxBytes && !e.getValue().isEmpty()) {
                DataBuffer b = e.getValue().pollFirst();
                pooledBytes -= e.getKey().length() * e.getKey().type().width();
                b.close();
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /** Ends a step: the arrays taken back in it are dead objects now (their memory may already be reused). */
    void endStep() {
        returned.clear();
    }

    /** Frees every waiting buffer (when training is over; the pool stays usable). */
    void clear() {
        for (ArrayDeque<DataBuffer> q : free.values()) {
            q.forEach(DataBuffer::close);
        }
        free.clear();
        returned.clear();
        pooledBytes = 0;
    }

    /** The session is closed after a run; the pool outlives it. */
    @Override
    public void close() {
    }

    long pooledBytes() {
        return pooledBytes;
    }

    /** Allocations served from the pool, and those that needed fresh memory, since creation. */
    Map<String, Long> counts() {
        Map<String, Long> m = new HashMap<>();
        m.put("hits", hits);
        m.put("misses", misses);
        return m;
    }
}
