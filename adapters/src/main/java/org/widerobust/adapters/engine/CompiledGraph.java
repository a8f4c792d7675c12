package org.widerobust.adapters.engine;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A session over one graph with reusable direct buffers for its inputs and outputs.
 *
 * <p>Usage: fill each input through {@link #floatInput} / {@link #longInput} (or bind an external direct
 * buffer with {@link #bindFloatInput}), call {@link #run} with the outputs wanted, then read them through
 * {@link #floatOutput} / {@link #outputShape}. Inputs are zero-copy. An output is written by ONNX Runtime
 * directly into a reused buffer (a pinned output) when its shape is known before the run: every declared
 * dimension is either a number or a symbolic name that also appears in an input's declared shape (e.g. the
 * batch dimension {@code N}). Other outputs are copied out of ONNX Runtime's result. ONNX Runtime tensor
 * wrappers are cached per shape, so a steady state with repeating shapes allocates no native memory.
 *
 * <p>The buffers returned stay valid until the next call that changes their size: a larger shape grows the
 * storage (and the buffer object changes); a smaller or equal shape reuses it. Output buffers are overwritten
 * by the next run. Not thread-safe: use one compiled graph per thread.
 */
public final class CompiledGraph implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CompiledGraph.class.getName());
    /** Tensor wrappers kept per slot; beyond this the least recently created ones are closed. */
    private static final int MAX_CACHED_SHAPES = 8;

    private final Engine engine;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String label;
    private final Buffers buffers;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Map<String, Slot> inputs = new LinkedHashMap<>();
    private final Map<String, Slot> outputs = new LinkedHashMap<>();

    // reused per run
    private final Map<String, OnnxTensor> runInputs = new HashMap<>();
    private final Map<String, OnnxValue> pinned = new HashMap<>();
    private final Set<String> copied = new HashSet<>();
    private final Map<String, Long> symbols = new HashMap<>();
    private boolean closed;

    CompiledGraph(Engine engine, OrtSession session, ModelProto model, String label, Buffers buffers) {
        this.engine = engine;
        this.env = engine.environment();
        this.session = session;
        this.label = label;
        this.buffers = buffers;
        Map<String, ValueInfoProto> declaredIn = new HashMap<>();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            declaredIn.put(v.getName(), v);
        }
        Map<String, ValueInfoProto> declaredOut = new HashMap<>();
        for (ValueInfoProto v : model.getGraph().getOutputList()) {
            declaredOut.put(v.getName(), v);
        }
        try {
            for (var e : session.getInputInfo().entrySet()) {
                inputs.put(e.getKey(), new Slot(e.getKey(), elementType(e.getValue().getInfo(), declaredIn.get(e.getKey())),
                        declaredDims(declaredIn.get(e.getKey()))));
            }
            for (var e : session.getOutputInfo().entrySet()) {
                outputs.put(e.getKey(), new Slot(e.getKey(), elementType(e.getValue().getInfo(),
                        declaredOut.get(e.getKey())), declaredDims(declaredOut.get(e.getKey()))));
            }
        } catch (OrtException e) {
            throw new EngineException("cannot read the inputs and outputs of graph '" + label + "': " + e.getMessage(), e);
        }
        this.inputNames = List.copyOf(inputs.keySet());
        this.outputNames = List.copyOf(outputs.keySet());
    }

    /** The graph's inputs (initializers excluded), in declaration order. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** The graph's outputs, in declaration order. */
    public List<String> outputNames() {
        return outputNames;
    }

    public String label() {
        return label;
    }

    /** The declared shape of an input: {@code -1} for symbolic or unknown dimensions, null if undeclared. */
    public long[] declaredInputShape(String name) {
        Slot s = input(name);
        return s.declared == null ? null : s.declaredStatic();
    }

    /** The declared shape of an output: {@code -1} for symbolic or unknown dimensions, null if undeclared. */
    public long[] declaredOutputShape(String name) {
        Slot s = output(name);
        return s.declared == null ? null : s.declaredStatic();
    }

    /**
     * The reused direct buffer for a float input, positioned at 0 with limit {@code product(shape)}; the shape
     * is recorded for the next run. Write the input into it before {@link #run}.
     */
    public FloatBuffer floatInput(String name, long... shape) {
        Slot s = input(name);
        s.requireType(DataType.FLOAT, "floatInput");
        s.prepareInput(shape);
        FloatBuffer b = s.floats;
        b.clear();
        b.limit(Math.toIntExact(s.size));
        return b;
    }

    /** As {@link #floatInput} for an int64 input. */
    public LongBuffer longInput(String name, long... shape) {
        Slot s = input(name);
        s.requireType(DataType.INT64, "longInput");
        s.prepareInput(shape);
        LongBuffer b = s.longs;
        b.clear();
        b.limit(Math.toIntExact(s.size));
        return b;
    }

    /**
     * Uses an external direct, native-order buffer (e.g. weights owned by a trainer) for a float input without
     * copying it. The {@code product(shape)} values from the buffer's current position are the input; later
     * writes to the buffer are seen by later runs. The buffer must stay alive and unmodified during runs.
     */
    public void bindFloatInput(String name, FloatBuffer directBuffer, long... shape) {
        Slot s = input(name);
        s.requireType(DataType.FLOAT, "bindFloatInput");
        if (directBuffer == null || !directBuffer.isDirect()) {
            throw new IllegalArgumentException("input '" + name + "' of graph '" + label
                    + "': bindFloatInput needs a direct buffer (ByteBuffer.allocateDirect(..).order("
                    + "ByteOrder.nativeOrder()).asFloatBuffer())");
        }
        if (directBuffer.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("input '" + name + "' of graph '" + label
                    + "': bindFloatInput needs a native-order buffer, got " + directBuffer.order());
        }
        s.checkShape(shape);
        long n = product(shape);
        if (directBuffer.remaining() < n) {
            throw new IllegalArgumentException("input '" + name + "' of graph '" + label + "': shape "
                    + Arrays.toString(shape) + " needs " + n + " floats but the buffer has " + directBuffer.remaining()
                    + " remaining");
        }
        s.bindExternal(directBuffer, shape, n);
    }

    /**
     * Runs the graph, fetching only {@code outputs} into their reused buffers.
     *
     * @throws IllegalStateException if an input has not been given
     * @throws EngineException if ONNX Runtime fails
     */
    public void run(Collection<String> outputs) {
        checkOpen();
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("graph '" + label + "': no outputs requested; outputs are "
                    + outputNames);
        }
        runInputs.clear();
        symbols.clear();
        for (Slot s : inputs.values()) {
            if (s.current == null) {
                throw new IllegalStateException("graph '" + label + "': input '" + s.name
                        + "' has not been given (call floatInput, longInput or bindFloatInput)");
            }
            runInputs.put(s.name, s.current);
            s.bindSymbols(symbols);
        }
        for (Slot s : this.outputs.values()) {
            s.valid = false;
        }
        pinned.clear();
        copied.clear();
        for (String name : outputs) {
            Slot s = output(name);
            long[] shape = s.neverPin ? null : s.resolve(symbols);
            if (shape != null && (s.type == DataType.FLOAT || s.type == DataType.INT64)) {
                pinned.put(name, s.pinnedTensor(shape));
            } else {
                copied.add(name);
            }
        }
        try {
            runOnce();
        } catch (OrtException e) {
            if (pinned.isEmpty()) {
                throw new EngineException("running graph '" + label + "' failed: " + e.getMessage(), e);
            }
            // A declared output shape that does not hold at run time: fall back to copying those outputs.
            for (String name : pinned.keySet()) {
                output(name).neverPin = true;
                copied.add(name);
            }
            LOG.fine(() -> "graph '" + label + "': pinned run failed (" + e.getMessage() + "); copying outputs "
                    + pinned.keySet() + " from now on");
            pinned.clear();
            try {
                runOnce();
            } catch (OrtException e2) {
                e2.addSuppressed(e);
                throw new EngineException("running graph '" + label + "' failed: " + e2.getMessage(), e2);
            }
        }
    }

    /** Where this graph's intermediate tensors are allocated, as it was compiled. */
    public Buffers buffers() {
        return buffers;
    }

    /** Convenience: {@link #run(Collection)} with the given outputs. */
    public void run(String... outputs) {
        run(Arrays.asList(outputs));
    }

    private void runOnce() throws OrtException {
        NativeCallGate.enter();
        try {
            runInSession();
        } finally {
            NativeCallGate.leave();
        }
    }

    private void runInSession() throws OrtException {
        try (OrtSession.Result r = session.run(runInputs, copied, pinned)) {
            for (String name : pinned.keySet()) {
                Slot s = outputs.get(name);
                s.shape = s.pinnedShape;
                s.valid = true;
            }
            for (String name : copied) {
                Slot s = outputs.get(name);
                OnnxValue v = r.get(name).orElseThrow();
                if (!(v instanceof OnnxTensor)) {
                    throw new EngineException("graph '" + label + "': output '" + name + "' is a "
                            + v.getType() + ", not a tensor");
                }
                s.copyFrom((OnnxTensor) v);
            }
        }
    }

    /** A read-only view of the last run's values of a float output, positioned at 0, limit = its size. */
    public FloatBuffer floatOutput(String name) {
        Slot s = fetched(name);
        s.requireType(DataType.FLOAT, "floatOutput");
        FloatBuffer b = s.readOnlyFloats;
        b.clear();
        b.limit(Math.toIntExact(s.size));
        return b;
    }

    /** A read-only view of the last run's values of an int64 output. */
    public LongBuffer longOutput(String name) {
        Slot s = fetched(name);
        s.requireType(DataType.INT64, "longOutput");
        LongBuffer b = s.readOnlyLongs;
        b.clear();
        b.limit(Math.toIntExact(s.size));
        return b;
    }

    /** Copies a float output of the last run into a new array. */
    public float[] floatOutputArray(String name) {
        FloatBuffer b = floatOutput(name);
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    /** The shape of an output in the last run. */
    public long[] outputShape(String name) {
        return fetched(name).shape.clone();
    }

    /** Whether the output was fetched into a pinned buffer by the last run (for tests and benchmarks). */
    public boolean wasPinned(String name) {
        return fetched(name).lastPinned;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Slot s : inputs.values()) {
            s.release();
        }
        for (Slot s : outputs.values()) {
            s.release();
        }
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warning("closing the session of graph '" + label + "': " + e.getMessage());
        }
        engine.closed(this);
    }

    @Override
    public String toString() {
        return "CompiledGraph[" + label + ", inputs " + inputNames + ", outputs " + outputNames + "]";
    }

    // ------------------------------------------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("graph '" + label + "' is closed");
        }
    }

    private Slot input(String name) {
        checkOpen();
        Slot s = inputs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("graph '" + label + "' has no input '" + name + "'; inputs are "
                    + inputNames);
        }
        return s;
    }

    private Slot output(String name) {
        checkOpen();
        Slot s = outputs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("graph '" + label + "' has no output '" + name + "'; outputs are "
                    + outputNames);
        }
        return s;
    }

    private Slot fetched(String name) {
        Slot s = output(name);
        if (!s.valid) {
            throw new IllegalStateException("graph '" + label + "': output '" + name
                    + "' was not fetched by the last run");
        }
        return s;
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static DataType elementType(Object ortInfo, ValueInfoProto declared) {
        if (declared != null && declared.getType().hasTensorType()) {
            DataType t = DataType.forNumber(declared.getType().getTensorType().getElemType());
            if (t != null && t != DataType.UNDEFINED) {
                return t;
            }
        }
        if (ortInfo instanceof TensorInfo) {
            switch (((TensorInfo) ortInfo).type) {
                case FLOAT: return DataType.FLOAT;
                case INT64: return DataType.INT64;
                case DOUBLE: return DataType.DOUBLE;
                case INT32: return DataType.INT32;
                case BOOL: return DataType.BOOL;
                default: return DataType.UNDEFINED;
            }
        }
        return DataType.UNDEFINED;
    }

    /** Declared dims: a Long for a fixed dim, a String for a symbolic one, null for an unknown one. */
    private static Object[] declaredDims(ValueInfoProto v) {
        if (v == null || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        Object[] dims = new Object[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims[i] = d.getDimValue();
            } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                dims[i] = d.getDimParam();
            }
        }
        return dims;
    }

    private static ByteBuffer allocate(long elements, int elementBytes) {
        long bytes = Math.multiplyExact(Math.max(elements, 1), (long) elementBytes);
        if (bytes > Integer.MAX_VALUE) {
            throw new EngineException("a buffer of " + elements + " elements exceeds 2 GB");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    /** One input or output: its declared type and shape, its storage and the ORT tensors over it. */
    private final class Slot {
        final String name;
        final DataType type;
        final Object[] declared;

        ByteBuffer storage;
        long capacity; // in elements
        FloatBuffer floats;
        LongBuffer longs;
        FloatBuffer readOnlyFloats;
        LongBuffer readOnlyLongs;
        /** Tensors over {@link #storage}, keyed by shape; closed when the storage grows. */
        final Map<List<Long>, OnnxTensor> cache = new LinkedHashMap<>();

        long[] shape;
        long size;
        /** Input: the tensor for the next run. */
        OnnxTensor current;

        // external binding (inputs)
        OnnxTensor external;
        Buffer externalSource;
        int externalPosition;
        long[] externalShape;

        // outputs
        boolean valid;
        boolean neverPin;
        boolean lastPinned;
        long[] pinnedShape;

        Slot(String name, DataType type, Object[] declared) {
            this.name = name;
            this.type = type;
            this.declared = declared;
        }

        long[] declaredStatic() {
            long[] d = new long[declared.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = declared[i] instanceof Long ? (Long) declared[i] : -1;
            }
            return d;
        }

        void requireType(DataType wanted, String method) {
            if (type != wanted) {
                throw new IllegalArgumentException("graph '" + label + "': " + method + "('" + name + "') but '"
                        + name + "' has type " + type);
            }
        }

        void checkShape(long[] s) {
            if (s == null) {
                throw new IllegalArgumentException("graph '" + label + "': give the shape of input '" + name + "'");
            }
            for (long d : s) {
                if (d < 1) {
                    throw new IllegalArgumentException("graph '" + label + "': input '" + name + "' shape "
                            + Arrays.toString(s) + " has a dimension < 1");
                }
            }
            if (declared != null) {
                boolean ok = declared.length == s.length;
                for (int i = 0; ok && i < s.length; i++) {
                    ok = !(declared[i] instanceof Long) || (Long) declared[i] == s[i];
                }
                if (!ok) {
                    throw new IllegalArgumentException("graph '" + label + "': input '" + name + "' shape "
                            + Arrays.toString(s) + " does not match the declared shape " + declaredText());
                }
            }
        }

        String declaredText() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < declared.length; i++) {
                b.append(i > 0 ? ", " : "").append(declared[i] == null ? "?" : declared[i]);
            }
            return b.append(']').toString();
        }

        int elementBytes() {
            return type == DataType.INT64 || type == DataType.DOUBLE ? 8 : 4;
        }

        void ensureCapacity(long elements) {
            if (storage != null && elements <= capacity) {
                return;
            }
            closeCache();
            storage = allocate(elements, elementBytes());
            capacity = storage.capacity() / elementBytes();
            if (type == DataType.INT64) {
                longs = storage.asLongBuffer();
                readOnlyLongs = longs.asReadOnlyBuffer();
            } else {
                floats = storage.asFloatBuffer();
                readOnlyFloats = floats.asReadOnlyBuffer();
            }
        }

        /** Tensor over the first product(shape) elements of the storage, cached per shape. */
        OnnxTensor tensor(long[] s, long n) {
            ensureCapacity(n);
            List<Long> key = new ArrayList<>(s.length);
            for (long d : s) {
                key.add(d);
            }
            OnnxTensor t = cache.get(key);
            if (t == null) {
                if (cache.size() >= MAX_CACHED_SHAPES) {
                    Iterator<OnnxTensor> it = cache.values().iterator();
                    OnnxTensor old = it.next();
                    it.remove();
                    old.close(); // if it was the current input, prepareInput replaces it right away
                }
                try {
                    int len = Math.toIntExact(n);
                    if (type == DataType.INT64) {
                        LongBuffer view = longs.duplicate();
                        view.clear().limit(len);
                        t = OnnxTensor.createTensor(env, view, s);
                    } else {
                        FloatBuffer view = floats.duplicate();
                        view.clear().limit(len);
                        t = OnnxTensor.createTensor(env, view, s);
                    }
                } catch (OrtException e) {
                    throw new EngineException("graph '" + label + "': cannot create a tensor for '" + name + "' "
                            + Arrays.toString(s) + ": " + e.getMessage(), e);
                }
                cache.put(key, t);
            }
            return t;
        }

        void prepareInput(long[] s) {
            checkShape(s);
            long n = product(s);
            current = tensor(s, n);
            shape = s.clone();
            size = n;
        }

        void bindExternal(FloatBuffer buf, long[] s, long n) {
            if (external == null || externalSource != buf || externalPosition != buf.position()
                    || !Arrays.equals(externalShape, s)) {
                if (external != null) {
                    external.close();
                    external = null;
                }
                FloatBuffer view = buf.duplicate();
                view.limit(buf.position() + Math.toIntExact(n));
                try {
                    external = OnnxTensor.createTensor(env, view, s);
                } catch (OrtException e) {
                    throw new EngineException("graph '" + label + "': cannot wrap the buffer for '" + name + "': "
                            + e.getMessage(), e);
                }
                externalSource = buf;
                externalPosition = buf.position();
                externalShape = s.clone();
            }
            current = external;
            shape = s.clone();
            size = n;
        }

        /** Records the values of this input's symbolic dimensions. */
        void bindSymbols(Map<String, Long> symbols) {
            if (declared == null || shape == null || declared.length != shape.length) {
                return;
            }
            for (int i = 0; i < declared.length; i++) {
                if (declared[i] instanceof String) {
                    symbols.putIfAbsent((String) declared[i], shape[i]);
                }
            }
        }

        /** The output shape if every declared dim is fixed or a symbol bound by the inputs, else null. */
        long[] resolve(Map<String, Long> symbols) {
            if (declared == null) {
                return null;
            }
            long[] s = new long[declared.length];
            for (int i = 0; i < s.length; i++) {
                Object d = declared[i];
                if (d instanceof Long) {
                    s[i] = (Long) d;
                } else if (d instanceof String && symbols.containsKey(d)) {
                    s[i] = symbols.get(d);
                } else {
                    return null;
                }
            }
            return s;
        }

        OnnxTensor pinnedTensor(long[] s) {
            long n = product(s);
            OnnxTensor t = tensor(s, n);
            pinnedShape = s;
            size = n;
            lastPinned = true;
            return t;
        }

        void copyFrom(OnnxTensor t) {
            TensorInfo info = t.getInfo();
            long[] s = info.getShape();
            long n = product(s);
            switch (info.type) {
                case FLOAT:
                    if (type != DataType.FLOAT) {
                        throw new EngineException("graph '" + label + "': output '" + name + "' is float but was declared "
                                + type);
                    }
                    ensureCapacity(n);
                    floats.clear();
                    floats.put(t.getFloatBuffer());
                    break;
                case INT64:
                    if (type != DataType.INT64) {
                        throw new EngineException("graph '" + label + "': output '" + name + "' is int64 but was declared "
                                + type);
                    }
                    ensureCapacity(n);
                    longs.clear();
                    longs.put(t.getLongBuffer());
                    break;
                default:
                    throw new EngineException("graph '" + label + "': output '" + name + "' has type " + info.type
                            + "; only float and int64 outputs are supported");
            }
            shape = s;
            size = n;
            valid = true;
            lastPinned = false;
        }

        private void closeCache() {
            for (OnnxTensor t : cache.values()) {
                t.close();
            }
            cache.clear();
            if (current != null && current != external) {
                current = null;
            }
        }

        void release() {
            closeCache();
            if (external != null) {
                external.close();
                external = null;
            }
            current = null;
        }
    }
}
