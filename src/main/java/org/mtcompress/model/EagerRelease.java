package org.mtcompress.model;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Returns the op outputs of a gradient run to the {@link ArrayPool} as soon as the last op that reads them has run. SameDiff M2.1 keeps every
 * array of a training step alive until the step ends (its session releases almost none of them: about 1.6 GB for
 * {@code small} at 2,048 target tokens), although most gradient intermediates are read once, right after they are
 * made. Written by hand because M2.1 has no memory manager that does this for gradient runs.
 * <p>
 * Safety rules: an array is returned only when no op still to run names it as an input, it is not an output the
 * caller reads ({@code keep}), and no live or pinned array (parameters, placeholders) shares its buffer; views are
 * never returned themselves, they keep the buffer they look into alive. Ops that never run keep their inputs alive,
 * which only costs memory.
 */
final class EagerRelease extends BaseListener {
    private final Map<SameDiff, Map<String, Integer>> readersByGraph = new IdentityHashMap<>();
    private final Map<String, Integer> readersLeft = new HashMap<>();
    private final Map<String, INDArray> live = new HashMap<>();
    private final Map<DataBuffer, List<INDArray>> byBuffer = new IdentityHashMap<>();
    private final Map<DataBuffer, Integer> liveUsers = new IdentityHashMap<>();
    private final Set<DataBuffer> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> keep = new HashSet<>();
    private long freedBytes;
    private boolean running;
    /** Where dead arrays go: the pool reuses their memory. */
    private final ArrayPool pool;

    EagerRelease(ArrayPool pool) {
        this.pool = pool;
    }

    /** Starts a run: {@code keep} are the variables the caller reads afterwards, {@code pin} arrays it owns. */
    void begin(Collection<String> keepNames, Collection<INDArray> pin) {
        reset();
        keep.addAll(keepNames);
        running = true;
        for (INDArray a : pin) {
            if (a != null) {
                pinned.add(root(a));
            }
        }
    }

    /** Ends a run and returns the bytes it freed; forgets every reference (what is still alive is the caller's). */
    long end() {
        long freed = freedBytes;
        reset();
        return freed;
    }

    /** Forgets the graphs it has seen (their reader counts), so a dropped graph can be collected. */
    void forgetGraphs() {
        readersByGraph.clear();
    }

    private void reset() {
        readersLeft.clear();
        live.clear();
        byBuffer.clear();
        liveUsers.clear();
        pinned.clear();
        keep.clear();
        freedBytes = 0;
        running = false;
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        if (!running) {
            return;     // only runs framed by begin/end are managed
        }
        Map<String, Integer> readers = readersByGraph.computeIfAbsent(sd, EagerRelease::countReaders);
        List<String> outNames = op.getOutputsOfOp() == null ? List.of() : op.getOutputsOfOp();
        List<String> inputs = op.getInputsToOp() == null ? List.of() : op.getInputsToOp();
        for (int i = 0; i < outputs.length && i < outNames.size(); i++) {
            INDArray out = outputs[i];
            String name = outNames.get(i);
            if (out == null) {
                continue;
            }
            DataBuffer r = root(out);
            if (keep.contains(name)) {
                pinned.add(r);
                continue;
            }
            live.put(name, out);
            byBuffer.computeIfAbsent(r, k -> new ArrayList<>()).add(out);
            liveUsers.merge(r, 1, Integer::sum);
            readersLeft.put(name, readers.getOrDefault(name, 0));
        }
        for (String in : inputs) {
            readersLeft.computeIfPresent(in, (k, n) -> n - 1);
        }
        // outputs nobody reads (e.g. the gradient of a constant) and inputs whose last reader just ran
        outNames.forEach(this::releaseIfDone);
        inputs.forEach(this::releaseIfDone);
    }

    private void releaseIfDone(String name) {
        Integer left = readersLeft.get(name);
        if (left == null || left > 0) {
            return;
        }
        readersLeft.remove(name);
        INDArray arr = live.remove(name);
        if (arr == null) {
            return;
        }
        DataBuffer r = root(arr);
        int users = liveUsers.merge(r, -1, Integer::sum);
        if (users > 0 || pinned.contains(r)) {
            return;
        }
        liveUsers.remove(r);
        for (INDArray a : byBuffer.remove(r)) {
            if (!a.isView() && !a.wasClosed() && a.closeable()) {
                freedBytes += a.length() * a.dataType().width();
                pool.release(a);
            }
        }
    }

    private static Map<String, Integer> countReaders(SameDiff sd) {
        Map<String, Integer> n = new HashMap<>();
        for (SameDiffOp op : sd.getOps().values()) {
            if (op.getInputsToOp() != null) {
                for (String in : op.getInputsToOp()) {
                    n.merge(in, 1, Integer::sum);
                }
            }
        }
        return n;
    }

    /** The buffer that owns the memory an array looks into. */
    private static DataBuffer root(INDArray a) {
        DataBuffer b = a.data();
        while (true) {
            DataBuffer up = b.originalDataBuffer() != null ? b.originalDataBuffer() : b.underlyingDataBuffer();
            if (up == null || up == b) {
                return b;
            }
            b = up;
        }
    }
}
