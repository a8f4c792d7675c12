package org.widerobust.adapters.engine;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import com.google.protobuf.CodedOutputStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import org.widerobust.descriptors.graph.GraphBuilder;

/**
 * Compiles ONNX graphs into {@link CompiledGraph}s on one device.
 *
 * <p><b>Threads.</b> ONNX Runtime allows one {@link OrtEnvironment} per process. The first engine creates it
 * with a global intra-op pool of {@code threads} threads (inter-op 1) and every session it compiles runs on
 * that pool ({@code disablePerSessionThreads}); later engines share the pool whatever {@code threads} they
 * ask for. If some other code (e.g. Tribuo's {@code ONNXExternalModel}) created the environment first without
 * global pools, each session gets its own pool of {@code threads} threads instead, and this is logged once.
 *
 * <p><b>Devices.</b> {@code auto} uses CUDA if its execution provider loads (CUDA 12 and cuDNN 9 on the
 * library path and an NVIDIA driver), else the CPU, and logs once which and why; {@code cuda}/{@code cuda:N}
 * fail with an {@link EngineException} when the provider cannot be loaded. The CUDA probe runs once per device
 * id per process.
 *
 * <p>Sessions use all graph optimisations, no memory patterns, and the CPU arena or per-run buffers as the caller
 * asks ({@link Buffers}). Closing an engine closes the graphs it compiled; the environment itself lives as long as
 * the process. The system property {@code widerobust.ort.profile=PREFIX} turns on ONNX Runtime's profiler for every
 * session: each writes a Chrome-trace JSON file {@code PREFIX_<date>.json} when it closes, which
 * {@code bench/ort_profile.py} sums up per operator (docs/benchmarks.md).
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    /**
     * Whether idle pool threads spin before sleeping; system property {@code widerobust.ort.spin} (true/false)
     * overrides it. Off by default: on a shared 2-core machine, spinning pool threads steal the cores from the
     * JVM and other processes (miniwrn batch 256 forward: 54 ms without spinning, 180-300 ms with it), and
     * gained nothing measurable for back-to-back small batches.
     */
    static final boolean SPIN = Boolean.parseBoolean(System.getProperty("widerobust.ort.spin", "false"));
    /** The file prefix of ONNX Runtime's per-session profiles (system property {@code widerobust.ort.profile}). */
    static final String PROFILE = System.getProperty("widerobust.ort.profile", "");
    private static boolean profileDirectoryChecked;

    // ---- process-wide state, guarded by Engine.class ----
    private static OrtEnvironment environment;
    /** True when the environment has global thread pools, so sessions must disable their own. */
    private static boolean globalPools;
    /** Size of the global intra-op pool when we created it, else -1 (unknown or per session). */
    private static int globalThreads = -1;
    private static boolean loggedThreadMismatch;
    private static boolean loggedAutoChoice;
    private static final Map<Integer, CudaStatus> CUDA_PROBES = new ConcurrentHashMap<>();

    /** Result of trying the CUDA execution provider on one device. */
    record CudaStatus(boolean available, String reason) {}

    private final OrtEnvironment env;
    private final DeviceSpec requested;
    private final boolean cuda;
    private final int deviceId;
    private final int threads;
    private final String description;
    private final SessionOptions options;
    private final SessionOptions perRunOptions;
    private final Set<CompiledGraph> graphs = new LinkedHashSet<>();
    private long sessionsCreated;
    private boolean closed;
    /** Guards {@link #modelBytes} while ONNX Runtime reads it; apart from the lock of the engine's own state. */
    private final Object serialization = new Object();
    /** Reused for every compile: the serialized graph (guarded by {@link #serialization}). */
    private ByteBuffer modelBytes;

    private Engine(OrtEnvironment env, DeviceSpec requested, boolean cuda, int deviceId, int threads,
                   String description, SessionOptions options, SessionOptions perRunOptions) {
        this.env = env;
        this.requested = requested;
        this.cuda = cuda;
        this.deviceId = deviceId;
        this.threads = threads;
        this.description = description;
        this.options = options;
        this.perRunOptions = perRunOptions;
    }

    /**
     * Creates an engine.
     *
     * @param device  where to run
     * @param threads intra-op threads; {@code <= 0} means the number of cores
     * @throws EngineException if an explicitly requested CUDA device is unavailable
     */
    public static Engine create(DeviceSpec device, int threads) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null; accepted: " + DeviceSpec.ACCEPTED);
        }
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        OrtEnvironment env = environment(t);
        boolean useCuda;
        String why = null;
        switch (device.kind()) {
            case CPU:
                useCuda = false;
                break;
            case CUDA: {
                CudaStatus s = probeCuda(device.deviceId());
                if (!s.available()) {
                    throw new EngineException("CUDA device " + device.deviceId() + " requested but the CUDA "
                            + "execution provider could not be loaded: " + s.reason()
                            + ". Use --device cpu or auto.");
                }
                useCuda = true;
                break;
            }
            case AUTO: {
                CudaStatus s = probeCuda(device.deviceId());
                useCuda = s.available();
                why = s.reason();
                // The reason for a CPU fallback is part of the device description, which every command shows
                // once; logging it as well would say it twice.
                synchronized (Engine.class) {
                    if (!loggedAutoChoice) {
                        loggedAutoChoice = true;
                        LOG.fine(useCuda ? "device auto: using CUDA device " + device.deviceId()
                                : "device auto: using the CPU because CUDA is unavailable: " + why);
                    }
                }
                break;
            }
            default:
                throw new AssertionError(device.kind());
        }
        int effectiveThreads;
        String threadText;
        synchronized (Engine.class) {
            if (globalPools && globalThreads > 0) {
                effectiveThreads = globalThreads;
                threadText = globalThreads + (globalThreads == 1 ? " thread" : " threads");
                if (globalThreads != t && !loggedThreadMismatch) {
                    loggedThreadMismatch = true;
                    LOG.info("the process-wide ONNX Runtime thread pool already has " + globalThreads
                            + " threads; ignoring the request for " + t);
                }
            } else if (globalPools) {
                effectiveThreads = -1;
                threadText = "shared thread pool";
            } else {
                effectiveThreads = t;
                threadText = t + (t == 1 ? " thread" : " threads") + " per session";
            }
        }
        String description = useCuda ? "cuda:" + device.deviceId()
                : "cpu (" + threadText + (device.kind() == DeviceSpec.Kind.AUTO ? ", CUDA unavailable: " + why : "")
                + ")";
        SessionOptions options = null;
        SessionOptions perRunOptions = null;
        try {
            options = sessionOptions(globalPools(), t);
            perRunOptions = sessionOptions(globalPools(), t);
            perRunOptions.setCPUArenaAllocator(false);
            if (useCuda) {
                options.addCUDA(device.deviceId());
                perRunOptions.addCUDA(device.deviceId());
            }
        } catch (OrtException | RuntimeException e) {
            if (options != null) {
                options.close();
            }
            if (perRunOptions != null) {
                perRunOptions.close();
            }
            throw new EngineException("cannot configure ONNX Runtime for " + device + ": " + e.getMessage(), e);
        }
        return new Engine(env, device, useCuda, device.deviceId(), effectiveThreads, description, options,
                perRunOptions);
    }

    /** A human-readable description of where graphs run, e.g. {@code cpu (2 threads)} or {@code cuda:0}. */
    public String deviceDescription() {
        return description;
    }

    public boolean usesCuda() {
        return cuda;
    }

    /** The device this engine was asked for (which may be {@code auto}). */
    public DeviceSpec requestedDevice() {
        return requested;
    }

    /**
     * How many ONNX Runtime sessions this engine has created so far. Each one pays graph optimisation and, on CUDA,
     * a weight upload and cuDNN's algorithm search, so execution plans are compared by this count (see
     * {@code docs/gpu.md}).
     */
    public synchronized long sessionsCreated() {
        return sessionsCreated;
    }

    /** The CUDA device ordinal when {@link #usesCuda()}. */
    public int deviceId() {
        return deviceId;
    }

    /** Intra-op threads used by this engine's sessions, or -1 if a foreign global pool of unknown size. */
    public int threads() {
        return threads;
    }

    /** The process-wide ONNX Runtime environment. */
    public OrtEnvironment environment() {
        return env;
    }

    /**
     * Compiles a graph into a session whose intermediate tensors live in its memory arena ({@link Buffers#ARENA}).
     *
     * @param model the graph
     * @param label a name for messages, e.g. {@code smallcnn(k=2) forward}
     * @throws EngineException if ONNX Runtime rejects the graph
     */
    public CompiledGraph compile(ModelProto model, String label) {
        return compile(model, label, Buffers.ARENA);
    }

    /**
     * Compiles a graph into a session.
     *
     * @param model   the graph
     * @param label   a name for messages, e.g. {@code smallcnn(k=2) forward}
     * @param buffers where its intermediate tensors are allocated
     * @throws EngineException if ONNX Runtime rejects the graph
     */
    public CompiledGraph compile(ModelProto model, String label, Buffers buffers) {
        OrtSession session;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("engine is closed");
            }
        }
        try {
            NativeCallGate.enter();
            try {
                synchronized (serialization) {
                    session = env.createSession(serialized(model),
                            buffers == Buffers.PER_RUN ? perRunOptions : options);
                }
            } finally {
                NativeCallGate.leave();
            }
        } catch (OrtException e) {
            throw new EngineException("cannot compile graph '" + label + "' on " + description + ": "
                    + e.getMessage(), e);
        }
        CompiledGraph g;
        try {
            g = new CompiledGraph(this, session, model, label, buffers);
        } catch (RuntimeException e) {
            try {
                session.close();
            } catch (OrtException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        synchronized (this) {
            graphs.add(g);
            sessionsCreated++;
        }
        return g;
    }

    /**
     * The graph serialized into this engine's reused direct buffer, which ONNX Runtime reads (and copies) while it
     * creates the session. A training step compiles a snapshot session per step; serializing into a fresh Java array
     * every time made garbage the size of the weights at every step (docs/benchmarks.md, 2026-11-30). The buffer
     * keeps the size of the largest graph compiled so far. Callers hold {@link #serialization}.
     */
    private ByteBuffer serialized(ModelProto model) {
        int size = model.getSerializedSize();
        if (modelBytes == null || modelBytes.capacity() < size) {
            modelBytes = ByteBuffer.allocateDirect(size);
        }
        ByteBuffer target = modelBytes.duplicate();
        target.clear().limit(size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(target);
            model.writeTo(out);
            out.flush();
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot serialize graph", e);
        }
        ByteBuffer in = modelBytes.duplicate();
        in.clear().limit(size);
        return in;
    }

    synchronized void closed(CompiledGraph g) {
        graphs.remove(g);
    }

    /** Closes the graphs compiled by this engine and its session options (not the process-wide environment). */
    @Override
    public void close() {
        List<CompiledGraph> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(graphs);
        }
        for (CompiledGraph g : open) {
            g.close();
        }
        options.close();
        perRunOptions.close();
    }

    @Override
    public String toString() {
        return "Engine[" + description + "]";
    }

    // ---------------------------------------------------------------- process-wide environment

    private static synchronized boolean globalPools() {
        return globalPools;
    }

    /** The process-wide environment, created with a global pool of {@code threads} threads if it does not exist. */
    static synchronized OrtEnvironment environment(int threads) {
        if (environment != null) {
            return environment;
        }
        try (OrtEnvironment.ThreadingOptions to = new OrtEnvironment.ThreadingOptions()) {
            to.setGlobalIntraOpNumThreads(threads);
            to.setGlobalInterOpNumThreads(1);
            to.setGlobalSpinControl(SPIN);
            environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "widerobust", to);
            globalPools = true;
            globalThreads = threads;
            LOG.fine(() -> "created the ONNX Runtime environment with a global pool of " + threads
                    + " threads (spin " + SPIN + ")");
        } catch (IllegalStateException e) {
            // OrtEnvironment.getEnvironment(level, name, threadingOptions) throws IllegalStateException
            // ("... but one already exists") when another component created the environment first.
            environment = OrtEnvironment.getEnvironment();
            globalPools = hasGlobalPools(environment);
            globalThreads = -1;
            LOG.info(globalPools
                    ? "the ONNX Runtime environment was created elsewhere with global thread pools; sharing them"
                    : "the ONNX Runtime environment was created elsewhere without global thread pools; each "
                      + "session gets its own pool of " + threads + " threads");
        } catch (OrtException e) {
            throw new EngineException("cannot create the ONNX Runtime environment: " + e.getMessage(), e);
        }
        return environment;
    }

    /** Whether a session that disables per-session threads can be created (it cannot without global pools). */
    private static boolean hasGlobalPools(OrtEnvironment env) {
        try (SessionOptions so = new SessionOptions()) {
            so.disablePerSessionThreads();
            env.createSession(identityModel(), so).close();
            return true;
        } catch (OrtException e) {
            return false;
        }
    }

    /**
     * The profile prefix, after checking once that its directory can take files (creating it if missing): ONNX
     * Runtime itself drops a profile it cannot write without a word.
     *
     * @throws IllegalArgumentException naming the property and the reason if it cannot
     */
    private static synchronized String profilePrefix() {
        // a prefix naming a directory ("/tmp/prof/") gets a file stem, or ONNX Runtime names its files "_DATE.json"
        String prefix = PROFILE.endsWith("/") || PROFILE.endsWith(java.io.File.separator) ? PROFILE + "ort" : PROFILE;
        if (!profileDirectoryChecked) {
            checkProfilePrefix(prefix);
            profileDirectoryChecked = true;
        }
        return prefix;
    }

    /**
     * Checks that profiles can be written with {@code prefix}: creates its directory if missing.
     *
     * @throws IllegalArgumentException naming the property and the reason if they cannot
     */
    static void checkProfilePrefix(String prefix) {
        Path dir = Path.of(prefix).toAbsolutePath().getParent();
        try {
            org.widerobust.adapters.files.AtomicFiles.checkWritableDirectory(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("-Dwiderobust.ort.profile=" + prefix + ": " + e.getMessage(), e);
        }
    }

    static SessionOptions sessionOptions(boolean sharedPools, int threads) throws OrtException {
        SessionOptions so = new SessionOptions();
        try {
            so.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            // No memory patterns: a pattern pre-plans one block per input shape and session, and the trainer
            // creates a session per step; without them peak RSS of a TRADES step on smallcnn k=1 fell from about
            // 700 to 490 MB at the same speed (docs/benchmarks.md, 2026-11-30). The arena stays: without it PGD-20
            // evaluation ran about 40% slower.
            so.setMemoryPatternOptimization(false);
            so.setCPUArenaAllocator(true);
            if (!PROFILE.isEmpty()) {
                so.enableProfiling(profilePrefix());
            }
            if (sharedPools) {
                so.disablePerSessionThreads();
            } else {
                so.setIntraOpNumThreads(threads);
                so.setInterOpNumThreads(1);
                so.addConfigEntry("session.intra_op.allow_spinning", SPIN ? "1" : "0");
            }
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- CUDA probe

    /** Whether CUDA device {@code id} can run a session; probed once per id per process. */
    static CudaStatus probeCuda(int id) {
        return CUDA_PROBES.computeIfAbsent(id, k -> probeCuda(k, false));
    }

    /**
     * Tries the CUDA execution provider on a one-node graph. Unless {@code skipDriverCheck}, a machine without
     * any NVIDIA driver device is rejected without loading the provider (which extracts a ~340 MB library and
     * takes seconds).
     */
    static CudaStatus probeCuda(int id, boolean skipDriverCheck) {
        if (!skipDriverCheck && isLinux() && !nvidiaDriverPresent()) {
            return new CudaStatus(false, "no NVIDIA driver found (none of /dev/nvidiactl, /dev/nvidia0, "
                    + "/proc/driver/nvidia/version, /dev/dxg exists)");
        }
        int threads = Runtime.getRuntime().availableProcessors();
        OrtEnvironment env = environment(threads);
        try (SessionOptions so = sessionOptions(globalPools(), 1)) {
            so.addCUDA(id);
            env.createSession(identityModel(), so).close();
            return new CudaStatus(true, "CUDA execution provider loaded on device " + id);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().trim();
            String missing = missingCudaLibraries();
            if (!missing.isEmpty()) {
                reason += " (missing libraries: " + missing + "; the CUDA provider needs CUDA 12 and cuDNN 9)";
            }
            return new CudaStatus(false, reason);
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase().contains("linux");
    }

    private static boolean nvidiaDriverPresent() {
        for (String p : new String[] {"/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia/version", "/dev/dxg"}) {
            if (Files.exists(Path.of(p))) {
                return true;
            }
        }
        return false;
    }

    /** Best effort: which of the libraries the CUDA provider links against the dynamic loader cannot see. */
    static String missingCudaLibraries() {
        if (!isLinux()) {
            return "";
        }
        String[] libs = {"libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11",
            "libcudnn.so.9"};
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
                "/usr/lib/x86_64-linux-gnu", "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"));
        String cache = ldconfigCache();
        List<String> missing = new ArrayList<>();
        for (String lib : libs) {
            boolean found = cache.contains(lib + " ");
            for (String d : dirs) {
                found |= Files.exists(Path.of(d, lib));
            }
            if (!found) {
                missing.add(lib);
            }
        }
        return String.join(", ", missing);
    }

    private static String ldconfigCache() {
        for (String exe : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig"}) {
            if (!Files.isExecutable(Path.of(exe))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                return new String(out, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        return "";
    }

    private static byte[] identityModel;

    /** A one-node float Identity graph, for probes. */
    static synchronized byte[] identityModel() {
        if (identityModel == null) {
            GraphBuilder g = new GraphBuilder("probe");
            g.addInput("x", DataType.FLOAT, 1);
            g.addNode("Identity", List.of("x"), List.of("y"));
            g.addOutput("y", DataType.FLOAT, 1);
            identityModel = g.build().toByteArray();
        }
        return identityModel;
    }
}
