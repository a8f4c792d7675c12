package org.widerobust.adapters.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import sun.misc.Signal;

/**
 * Keeps the process from exiting while ONNX Runtime is inside a native call. ONNX Runtime's Java binding releases
 * its environment in a JVM shutdown hook; on SIGINT or SIGTERM the JVM ran that hook while the main thread was
 * still inside {@code OrtSession.run}, which crashed the process (SIGSEGV in {@code libonnxruntime.so}, exit 134, an
 * {@code hs_err_pid*.log} left behind). Every native call of the engine holds the read side of one gate.
 * {@link #exitOnSignals()} (installed by the command-line launcher) handles SIGINT and SIGTERM by taking the write
 * side first — waiting for the call in flight, at most {@value #DRAIN_SECONDS} s, and keeping new calls out — and
 * only then exiting with 128 + the signal number, so the shutdown hooks run while no native call is in progress.
 * A shutdown hook does the same waiting for other ways of exiting. Nothing is lost by waiting: checkpoints are
 * written atomically between runs.
 */
public final class NativeCallGate {
    static final long DRAIN_SECONDS = 60;
    private static final ReentrantReadWriteLock GATE = new ReentrantReadWriteLock();
    private static volatile boolean closed;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NativeCallGate::close, "widerobust-onnxruntime-drain"));
    }

    private NativeCallGate() {}

    /** Enters a native call; pair with {@link #leave()} in a finally block. Blocks once the process is exiting. */
    static void enter() {
        GATE.readLock().lock();
    }

    static void leave() {
        GATE.readLock().unlock();
    }

    /**
     * Handles SIGINT and SIGTERM: wait for the ONNX Runtime call in flight, then exit with 128 + the signal number
     * (130, 143). For programs that own the process, such as the command-line launcher; a library leaves signals
     * alone.
     */
    public static void exitOnSignals() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    close();
                    Runtime.getRuntime().exit(128 + s.getNumber());
                });
            } catch (IllegalArgumentException unavailable) {
                // the signal is not available here (or reserved by the JVM): keep its default handling
            }
        }
    }

    /** Waits for the native calls in flight, then keeps new ones out until the process ends. */
    private static synchronized void close() {
        if (closed) {
            return;
        }
        try {
            GATE.writeLock().tryLock(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
    }
}
