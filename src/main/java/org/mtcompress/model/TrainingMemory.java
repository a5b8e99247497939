package org.mtcompress.model;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The memory of training steps: runs a gradient step with its dead arrays returned early ({@link EagerRelease})
 * into a pool the next step allocates from ({@link ArrayPool}), drops SameDiff's sessions after every run, and
 * frees all of it when training ends.
 */
final class TrainingMemory {
    /**
     * Reuses the memory of a training step's dead arrays in the next ones; at most {@link #POOL_MB} MB wait there.
     * Why so few: batches vary in shape (token-budget batching), so most waiting buffers fit no later request,
     * while memory handed back to the C allocator serves any size; with 256 MB, two minutes of the {@code small}
     * recipe held about 450 MB more resident memory at the same tokens/s. Which buffer an op gets never changes
     * a result (every op writes its whole output; PoolSizeTest).
     */
    private final ArrayPool pool;
    /** The pool's size in MB: {@code -Dmtc.training.poolMb}, default 64. */
    static final long POOL_MB = Long.getLong("mtc.training.poolMb", 64L);
    /** Returns a training step's intermediate arrays to the pool as soon as they are dead. */
    private final EagerRelease release;
    private long releasedBytes;

    TrainingMemory() {
        this(POOL_MB << 20);
    }

    /** With a pool of at most {@code poolBytes} (tests compare sizes). */
    TrainingMemory(long poolBytes) {
        pool = new ArrayPool(poolBytes);
        release = new EagerRelease(pool);
    }

    /** Lets this object manage the memory of {@code train}'s gradient runs. */
    void attach(SameDiff train) {
        train.addListeners(release);
    }

    /**
     * Runs {@code sd} forward and backward on {@code placeholders}: the outputs {@code outputs} and the gradients of
     * {@code wanted}. Every other array of the run goes back to the pool once its last reader has run; the arrays
     * of {@code pin} (parameters, inputs) are never touched. The graph's sessions are dropped afterwards.
     */
    OutAndGrad gradients(SameDiff sd, Map<String, INDArray> placeholders, List<String> outputs, List<String> wanted,
                         Collection<INDArray> pin) {
        List<String> keep = new ArrayList<>(outputs);
        for (String n : wanted) {
            keep.add(sd.getVariable(n).gradient().name());
        }
        release.begin(keep, pin);
        usePool(sd);
        usePool(sd.getFunction("grad"));
        try {
            return sd.calculateGradientsAndOutputs(placeholders, outputs, wanted);
        } finally {
            releasedBytes = release.end();
            pool.endStep();
        }
    }

    /**
     * Drops the graph's inference sessions (and its gradient function's). A SameDiff M2.1 session keeps every op
     * output of its last run reachable until the next run starts (about 1.9 GB for {@code small} at 2,048 target
     * tokens before {@link EagerRelease}). Kept, they are still alive when the next step allocates its own, so the
     * per-step {@code System.gc()} cannot free them and the peak doubles (measured: 4.3 GB -> 2.4 GB peak RSS with
     * this alone). A fresh session per step costs nothing measurable.
     */
    static void dropSessions(SameDiff sd) {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            grad.getSessions().clear();
        }
    }

    /** Forgets {@code train} (null: none was built), frees the pool's waiting buffers and collects garbage. */
    void release(SameDiff train) {
        if (train != null) {
            dropSessions(train);
            release.forgetGraphs();
        }
        pool.clear();
        System.gc();
    }

    /** Gives the graph's session for this thread the pool as memory manager (sessions are dropped after each step). */
    private void usePool(SameDiff graph) {
        if (graph != null) {
            InferenceSession s = new InferenceSession(graph);
            s.setMmgr(pool);
            graph.getSessions().put(Thread.currentThread().getId(), s);
        }
    }

    /** Allocation counts of the array pool (hits = memory reused). */
    Map<String, Long> poolCounts() {
        return pool.counts();
    }

    /** Bytes of intermediate arrays the last {@link #gradients} call freed before it returned. */
    long releasedBytes() {
        return releasedBytes;
    }
}
