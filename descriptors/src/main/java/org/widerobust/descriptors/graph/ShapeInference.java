package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static shapes, element types and folded integer constants of every value in a graph. The batch dimension
 * stays symbolic ({@link Shapes#BATCH}); in folded integer constants it appears as {@link #SYMBOLIC_BATCH}. A
 * dimension that is a multiple c of the batch (attention's {@code batch * heads}) is {@code -c} in a shape and
 * {@code SYMBOLIC_BATCH + c - 1} in a folded constant.
 * Covers the ops that widerobust differentiates plus the shape arithmetic that exporters emit around them.
 */
public final class ShapeInference {
    /** Marks the batch size inside a folded integer constant (for example the output of {@code Shape}). */
    public static final long SYMBOLIC_BATCH = Long.MIN_VALUE;

    private final Map<String, long[]> shapes = new HashMap<>();
    private final Map<String, Integer> types = new HashMap<>();
    private final Map<String, long[]> ints = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<NodeProto, String> failures = new LinkedHashMap<>();
    private final int opset;

    private ShapeInference(int opset) {
        this.opset = opset;
    }

    /**
     * Infers every value of {@code model} that it can. A node it cannot infer (an unknown op, a non-constant shape
     * argument, an input without a shape) is recorded in {@link #failures()} and its outputs stay unknown; this
     * blocks only the nodes that read them, so an integer shape path nobody differentiates blocks nothing.
     */
    public static ShapeInference of(ModelProto model) {
        ShapeInference si = new ShapeInference(GraphBuilder.opsetOf(model));
        for (TensorProto t : model.getGraph().getInitializerList()) {
            si.addTensor(t.getName(), t);
        }
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (!si.shapes.containsKey(v.getName())) {
                si.shapes.put(v.getName(), GraphBuilder.dimsOf(v));
                si.types.put(v.getName(), v.getType().getTensorType().getElemType());
            }
        }
        for (NodeProto n : model.getGraph().getNodeList()) {
            for (String o : n.getOutputList()) {
                si.producers.put(o, n);
            }
            String missing = null;
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !si.shapes.containsKey(in)) {
                    missing = in;
                    break;
                }
            }
            if (missing != null) {
                si.failures.put(n, "the shape of its input '" + missing + "' is unknown");
                continue;
            }
            try {
                si.infer(n);
            } catch (RuntimeException e) {
                si.failures.put(n, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return si;
    }

    /** The nodes whose outputs could not be inferred, with the reason, in graph order. */
    public Map<NodeProto, String> failures() {
        return java.util.Collections.unmodifiableMap(failures);
    }

    /** Why the node producing {@code value} could not be inferred, or null if it was (or there is no producer). */
    public String failure(String value) {
        NodeProto p = producers.get(value);
        return p == null ? null : failures.get(p);
    }

    /** The static shape of a value ({@link Shapes#BATCH} for the batch dimension). */
    public long[] shape(String value) {
        long[] s = shapes.get(value);
        if (s == null) {
            String why = failure(value);
            throw new GraphException("no shape known for value '" + value + "'" + (why == null ? ""
                    : " (" + producer(value).getOpType() + " node '" + producer(value).getName() + "': " + why + ")"));
        }
        return s;
    }

    public boolean hasShape(String value) {
        return shapes.containsKey(value);
    }

    /** The ONNX element type of a value. */
    public int type(String value) {
        Integer t = types.get(value);
        return t == null ? DataType.FLOAT.getNumber() : t;
    }

    public boolean isFloat(String value) {
        int t = type(value);
        return t == DataType.FLOAT.getNumber() || t == DataType.DOUBLE.getNumber()
                || t == DataType.FLOAT16.getNumber();
    }

    /** A folded integer constant, or null when the value is not a compile-time constant. */
    public long[] constInts(String value) {
        return ints.get(value);
    }

    /** The node producing a value, or null for graph inputs and initializers. */
    public NodeProto producer(String value) {
        return producers.get(value);
    }

    public int opset() {
        return opset;
    }

    private void addTensor(String name, TensorProto t) {
        shapes.put(name, Tensors.dims(t));
        types.put(name, t.getDataType());
        if (t.getDataType() == DataType.INT64.getNumber() || t.getDataType() == DataType.INT32.getNumber()) {
            ints.put(name, Tensors.toLongs(t));
        }
    }

    private void set(NodeProto n, int output, long[] shape, int type) {
        if (output < n.getOutputCount() && !n.getOutput(output).isEmpty()) {
            shapes.put(n.getOutput(output), shape);
            types.put(n.getOutput(output), type);
        }
    }

    private long[] in(NodeProto n, int i) {
        return shape(n.getInput(i));
    }

    private boolean present(NodeProto n, int i) {
        return i < n.getInputCount() && !n.getInput(i).isEmpty();
    }

    /** Axes from the attribute (older opsets) or the second input (newer ones), or null for "all". */
    private long[] axes(NodeProto n, int inputIndex) {
        long[] a = Attr.getInts(n, "axes", null);
        if (a == null && present(n, inputIndex)) {
            a = ints.get(n.getInput(inputIndex));
            if (a == null) {
                throw new GraphException("node '" + n.getName() + "' (" + n.getOpType() + "): axes are not constant");
            }
        }
        return a;
    }

    private long[] constant(NodeProto n, int i, String what) {
        long[] v = ints.get(n.getInput(i));
        if (v == null) {
            throw new GraphException("node '" + n.getName() + "' (" + n.getOpType() + "): " + what
                    + " must be a constant");
        }
        return v;
    }

    private void infer(NodeProto n) {
        String op = n.getOpType();
        int t0 = n.getInputCount() > 0 && !n.getInput(0).isEmpty() ? type(n.getInput(0)) : DataType.FLOAT.getNumber();
        int bool = DataType.BOOL.getNumber();
        int i64 = DataType.INT64.getNumber();
        switch (op) {
            case "Relu", "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Identity", "Softmax", "LogSoftmax", "Clip", "Sqrt",
                    "Reciprocal", "Neg", "Exp", "Log", "Abs", "Sign", "BatchNormalization", "Erf", "Softplus", "Gelu",
                    "HardSwish", "HardSigmoid", "Mish", "Softsign", "Floor", "Ceil", "Round", "Sin", "Cos", "CumSum",
                    "PRelu" -> {
                set(n, 0, in(n, 0), t0);
                if (op.equals("Identity") && ints.containsKey(n.getInput(0))) {
                    ints.put(n.getOutput(0), ints.get(n.getInput(0)));
                }
            }
            case "Dropout" -> {
                set(n, 0, in(n, 0), t0);
                set(n, 1, in(n, 0), bool);
            }
            case "Not" -> {
                set(n, 0, in(n, 0), bool);
                long[] v = ints.get(n.getInput(0));
                if (v != null) {
                    long[] r = new long[v.length];
                    for (int i = 0; i < v.length; i++) {
                        r[i] = v[i] == 0 ? 1 : 0;
                    }
                    ints.put(n.getOutput(0), r);
                }
            }
            case "LayerNormalization" -> {
                long[] x = in(n, 0);
                int axis = Shapes.axis(Attr.getInt(n, "axis", -1), x.length);
                set(n, 0, x, t0);
                long[] stat = x.clone();
                Arrays.fill(stat, axis, stat.length, 1);
                set(n, 1, stat, DataType.FLOAT.getNumber());
                set(n, 2, stat, DataType.FLOAT.getNumber());
            }
            case "ConstantOfShape" -> {
                long[] dims = symbolicToBatch(constant(n, 0, "the shape"));
                TensorProto value = Attr.getTensor(n, "value");
                int type = value == null ? DataType.FLOAT.getNumber() : value.getDataType();
                set(n, 0, dims, type);
                boolean intType = type == i64 || type == DataType.INT32.getNumber() || type == bool;
                if (intType && dims.length <= 1 && Arrays.stream(dims).allMatch(d -> d >= 0)) {
                    long fill = value == null ? 0 : Tensors.toLongs(value)[0];
                    long[] v = new long[dims.length == 0 ? 1 : (int) dims[0]];
                    Arrays.fill(v, fill);
                    ints.put(n.getOutput(0), v);
                }
            }
            case "Range" -> {
                long[] start = ints.get(n.getInput(0));
                long[] limit = ints.get(n.getInput(1));
                long[] delta = ints.get(n.getInput(2));
                if (start == null || limit == null || delta == null) {
                    throw new GraphException("node '" + n.getName() + "' (Range): bounds must be constant");
                }
                long count = Math.max(0, (limit[0] - start[0] + delta[0] - Long.signum(delta[0])) / delta[0]);
                long[] v = new long[(int) count];
                for (int i = 0; i < v.length; i++) {
                    v[i] = start[0] + i * delta[0];
                }
                set(n, 0, new long[] {count}, t0);
                ints.put(n.getOutput(0), v);
            }
            case "Split" -> {
                long[] x = in(n, 0);
                int axis = Shapes.axis(Attr.getInt(n, "axis", 0), x.length);
                long[] sizes = present(n, 1) ? constant(n, 1, "split") : Attr.getInts(n, "split", null);
                int outs = n.getOutputCount();
                if (sizes == null) {
                    if (x[axis] < 0) {
                        throw new GraphException("node '" + n.getName() + "' (Split): cannot split the batch axis");
                    }
                    long chunk = (x[axis] + outs - 1) / outs;
                    sizes = new long[outs];
                    for (int i = 0; i < outs; i++) {
                        sizes[i] = Math.max(0, Math.min(chunk, x[axis] - i * chunk));
                    }
                }
                for (int i = 0; i < outs; i++) {
                    long[] s = x.clone();
                    s[axis] = sizes[i];
                    set(n, i, s, t0);
                }
            }
            case "Cast" -> {
                int to = (int) Attr.getInt(n, "to", 1);
                set(n, 0, in(n, 0), to);
                if (ints.containsKey(n.getInput(0)) && (to == i64 || to == DataType.INT32.getNumber())) {
                    ints.put(n.getOutput(0), ints.get(n.getInput(0)));
                }
            }
            case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Where", "Equal", "Greater", "Less",
                    "GreaterOrEqual", "LessOrEqual", "And", "Or" -> {
                long[] s = in(n, 0);
                for (int i = 1; i < n.getInputCount(); i++) {
                    s = Shapes.broadcast(s, in(n, i), "node '" + n.getName() + "' (" + op + ")");
                }
                boolean cmp = Arrays.asList("Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or")
                        .contains(op);
                set(n, 0, s, cmp ? bool : op.equals("Where") ? type(n.getInput(1)) : t0);
                if (op.equals("Where")) {
                    foldWhere(n);
                } else {
                    foldIntArithmetic(n);
                }
            }
            case "Constant" -> {
                TensorProto t = Attr.getTensor(n, "value");
                if (t != null) {
                    addTensor(n.getOutput(0), t);
                } else if (Attr.has(n, "value_ints")) {
                    long[] v = Attr.getInts(n, "value_ints", null);
                    set(n, 0, new long[] {v.length}, i64);
                    ints.put(n.getOutput(0), v);
                } else if (Attr.has(n, "value_int")) {
                    set(n, 0, new long[0], i64);
                    ints.put(n.getOutput(0), new long[] {Attr.getInt(n, "value_int", 0)});
                } else if (Attr.has(n, "value_float")) {
                    set(n, 0, new long[0], DataType.FLOAT.getNumber());
                } else {
                    throw new GraphException("node '" + n.getName() + "' (Constant): unsupported value attribute");
                }
            }
            case "Conv" -> {
                long[] x = in(n, 0);
                long[] w = in(n, 1);
                long[] kernel = Arrays.copyOfRange(w, 2, w.length);
                SpatialGeometry g = SpatialGeometry.of(n, kernel, Arrays.copyOfRange(x, 2, x.length));
                set(n, 0, concat(new long[] {x[0], w[0]}, g.output()), t0);
            }
            case "ConvTranspose" -> {
                long[] x = in(n, 0);
                long[] w = in(n, 1);
                int r = x.length - 2;
                long group = Attr.getInt(n, "group", 1);
                long[] out = Attr.getInts(n, "output_shape", null);
                if (out == null) {
                    long[] strides = Attr.getInts(n, "strides", Attr.repeat(1, r));
                    long[] dil = Attr.getInts(n, "dilations", Attr.repeat(1, r));
                    long[] pads = Attr.getInts(n, "pads", new long[2 * r]);
                    long[] opad = Attr.getInts(n, "output_padding", new long[r]);
                    out = new long[r];
                    for (int i = 0; i < r; i++) {
                        out[i] = strides[i] * (x[i + 2] - 1) + opad[i] + (w[i + 2] - 1) * dil[i] + 1 - pads[i]
                                - pads[i + r];
                    }
                }
                set(n, 0, concat(new long[] {x[0], w[1] * group}, out), t0);
            }
            case "MaxPool", "AveragePool" -> {
                long[] x = in(n, 0);
                SpatialGeometry g = SpatialGeometry.of(n, Attr.getInts(n, "kernel_shape", null),
                        Arrays.copyOfRange(x, 2, x.length));
                long[] s = concat(new long[] {x[0], x[1]}, g.output());
                set(n, 0, s, t0);
                set(n, 1, s, i64);
            }
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                long[] x = in(n, 0).clone();
                Arrays.fill(x, 2, x.length, 1);
                set(n, 0, x, t0);
            }
            case "Gemm" -> {
                long[] a = in(n, 0);
                long[] b = in(n, 1);
                long m = Attr.getInt(n, "transA", 0) == 1 ? a[1] : a[0];
                long k = Attr.getInt(n, "transB", 0) == 1 ? b[0] : b[1];
                set(n, 0, new long[] {m, k}, t0);
            }
            case "MatMul" -> {
                long[] a = in(n, 0);
                long[] b = in(n, 1);
                if (a.length < 2 || b.length < 2) {
                    throw new GraphException("node '" + n.getName() + "' (MatMul): operands of rank 1 are not supported");
                }
                long[] batchA = Arrays.copyOf(a, a.length - 2);
                long[] batchB = Arrays.copyOf(b, b.length - 2);
                long[] batch = Shapes.broadcast(batchA, batchB, "node '" + n.getName() + "' (MatMul)");
                set(n, 0, concat(batch, new long[] {a[a.length - 2], b[b.length - 1]}), t0);
            }
            case "Flatten" -> {
                long[] x = in(n, 0);
                int axis = (int) Attr.getInt(n, "axis", 1);
                axis = axis < 0 ? axis + x.length : axis;
                set(n, 0, new long[] {product(x, 0, axis), product(x, axis, x.length)}, t0);
            }
            case "Reshape" -> {
                set(n, 0, reshape(in(n, 0), constant(n, 1, "the target shape"), n), t0);
                if (ints.containsKey(n.getInput(0))) {
                    ints.put(n.getOutput(0), ints.get(n.getInput(0)));
                }
            }
            case "Transpose" -> {
                long[] x = in(n, 0);
                long[] perm = Attr.getInts(n, "perm", reversed(x.length));
                long[] s = new long[x.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = x[(int) perm[i]];
                }
                set(n, 0, s, t0);
            }
            case "Concat" -> {
                long[] s = in(n, 0).clone();
                int axis = Shapes.axis(Attr.getInt(n, "axis", 0), s.length);
                boolean allConst = true;
                for (int i = 1; i < n.getInputCount(); i++) {
                    long d = in(n, i)[axis];
                    s[axis] = s[axis] < 0 || d < 0 ? Shapes.BATCH : s[axis] + d;
                }
                for (String i : n.getInputList()) {
                    allConst &= ints.containsKey(i);
                }
                set(n, 0, s, t0);
                if (allConst && s.length == 1) {
                    long[] v = new long[0];
                    for (String i : n.getInputList()) {
                        v = concat(v, ints.get(i));
                    }
                    ints.put(n.getOutput(0), v);
                }
            }
            case "Pad" -> {
                long[] x = in(n, 0);
                long[] pads = opset >= 11 ? constant(n, 1, "pads") : Attr.getInts(n, "pads", null);
                long[] s = x.clone();
                for (int i = 0; i < x.length; i++) {
                    s[i] = x[i] < 0 ? x[i] : x[i] + pads[i] + pads[i + x.length];
                }
                set(n, 0, s, t0);
            }
            case "Shape" -> {
                long[] x = in(n, 0);
                set(n, 0, new long[] {x.length}, i64);
                long[] v = new long[x.length];
                for (int i = 0; i < x.length; i++) {
                    v[i] = x[i] < 0 ? symbolic(-x[i]) : x[i];
                }
                ints.put(n.getOutput(0), v);
            }
            case "Size" -> set(n, 0, new long[0], i64);
            case "Gather" -> {
                long[] data = in(n, 0);
                long[] idx = in(n, 1);
                int axis = Shapes.axis(Attr.getInt(n, "axis", 0), data.length);
                long[] s = concat(concat(Arrays.copyOf(data, axis), idx), Arrays.copyOfRange(data, axis + 1, data.length));
                set(n, 0, s, t0);
                long[] dv = ints.get(n.getInput(0));
                long[] iv = ints.get(n.getInput(1));
                if (dv != null && iv != null && data.length == 1) {
                    long[] v = new long[iv.length];
                    for (int i = 0; i < iv.length; i++) {
                        v[i] = dv[(int) (iv[i] < 0 ? iv[i] + dv.length : iv[i])];
                    }
                    ints.put(n.getOutput(0), v);
                }
            }
            case "Unsqueeze" -> {
                long[] x = in(n, 0);
                long[] ax = axes(n, 1);
                int r = x.length + ax.length;
                boolean[] added = new boolean[r];
                for (long a : ax) {
                    added[Shapes.axis(a, r)] = true;
                }
                long[] s = new long[r];
                for (int i = 0, j = 0; i < r; i++) {
                    s[i] = added[i] ? 1 : x[j++];
                }
                set(n, 0, s, t0);
                if (ints.containsKey(n.getInput(0))) {
                    ints.put(n.getOutput(0), ints.get(n.getInput(0)));
                }
            }
            case "Squeeze" -> {
                long[] x = in(n, 0);
                long[] ax = axes(n, 1);
                boolean[] drop = new boolean[x.length];
                if (ax == null) {
                    for (int i = 0; i < x.length; i++) {
                        drop[i] = x[i] == 1;
                    }
                } else {
                    for (long a : ax) {
                        drop[Shapes.axis(a, x.length)] = true;
                    }
                }
                long[] s = new long[0];
                for (int i = 0; i < x.length; i++) {
                    if (!drop[i]) {
                        s = concat(s, new long[] {x[i]});
                    }
                }
                set(n, 0, s, t0);
                if (ints.containsKey(n.getInput(0))) {
                    ints.put(n.getOutput(0), ints.get(n.getInput(0)));
                }
            }
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceSumSquare", "ReduceLogSumExp" -> {
                long[] x = in(n, 0);
                long[] ax = axes(n, 1);
                boolean keep = Attr.getInt(n, "keepdims", 1) == 1;
                boolean[] red = new boolean[x.length];
                for (int i = 0; i < x.length; i++) {
                    red[i] = ax == null;
                }
                if (ax != null) {
                    for (long a : ax) {
                        red[Shapes.axis(a, x.length)] = true;
                    }
                }
                long[] s = new long[0];
                for (int i = 0; i < x.length; i++) {
                    if (!red[i]) {
                        s = concat(s, new long[] {x[i]});
                    } else if (keep) {
                        s = concat(s, new long[] {1});
                    }
                }
                set(n, 0, s, t0);
            }
            case "Expand" -> set(n, 0, Shapes.broadcast(in(n, 0), symbolicToBatch(constant(n, 1, "the shape")),
                    "node '" + n.getName() + "' (Expand)"), t0);
            case "ArgMax", "ArgMin" -> {
                long[] x = in(n, 0);
                int axis = Shapes.axis(Attr.getInt(n, "axis", 0), x.length);
                long[] s = x.clone();
                s[axis] = 1;
                if (Attr.getInt(n, "keepdims", 1) == 0) {
                    s = concat(Arrays.copyOf(s, axis), Arrays.copyOfRange(s, axis + 1, s.length));
                }
                set(n, 0, s, i64);
            }
            case "Slice" -> {
                long[] x = in(n, 0).clone();
                long[] starts = constant(n, 1, "starts");
                long[] ends = constant(n, 2, "ends");
                long[] ax = present(n, 3) ? constant(n, 3, "axes") : null;
                long[] steps = present(n, 4) ? constant(n, 4, "steps") : null;
                long[] data = ints.get(n.getInput(0));
                long[] folded = null;
                for (int i = 0; i < starts.length; i++) {
                    int a = Shapes.axis(ax == null ? i : ax[i], x.length);
                    long step = steps == null ? 1 : steps[i];
                    if (x[a] < 0) {
                        continue;
                    }
                    long[] r = sliceRange(starts[i], ends[i], step, x[a]);
                    x[a] = r[1];
                    if (data != null && x.length == 1) {
                        folded = new long[(int) r[1]];
                        for (int j = 0; j < folded.length; j++) {
                            folded[j] = data[(int) (r[0] + j * step)];
                        }
                    }
                }
                set(n, 0, x, t0);
                if (folded != null) {
                    ints.put(n.getOutput(0), folded);
                }
            }
            default -> throw new GraphException("node '" + n.getName() + "': op " + op
                    + " is not supported by widerobust's shape inference");
        }
    }

    private void foldIntArithmetic(NodeProto n) {
        if (n.getInputCount() != 2) {
            return;
        }
        long[] a = ints.get(n.getInput(0));
        long[] b = ints.get(n.getInput(1));
        if (a == null || b == null || (a.length != b.length && a.length != 1 && b.length != 1)) {
            return;
        }
        int len = Math.max(a.length, b.length);
        long[] v = new long[len];
        for (int i = 0; i < len; i++) {
            long x = a[a.length == 1 ? 0 : i];
            long y = b[b.length == 1 ? 0 : i];
            if (isSymbolic(x) || isSymbolic(y)) {
                String op = n.getOpType();
                if (op.equals("Equal")) {
                    // The batch size is at least 1: a multiple of it equals only itself, never a constant below 1.
                    long other = isSymbolic(x) ? y : x;
                    if (isSymbolic(x) && isSymbolic(y)) {
                        v[i] = x == y ? 1 : 0;
                    } else if (other > 0) {
                        return;
                    } else {
                        v[i] = 0;
                    }
                } else if (op.equals("Mul") && (isSymbolic(x) ^ isSymbolic(y)) && (isSymbolic(x) ? y : x) > 0) {
                    v[i] = symbolic(multiple(isSymbolic(x) ? x : y) * (isSymbolic(x) ? y : x));
                } else if (op.equals("Div") && isSymbolic(x) && !isSymbolic(y) && y > 0 && multiple(x) % y == 0) {
                    v[i] = symbolic(multiple(x) / y);
                } else {
                    return;
                }
                continue;
            }
            switch (n.getOpType()) {
                case "Equal" -> v[i] = x == y ? 1 : 0;
                case "Less" -> v[i] = x < y ? 1 : 0;
                case "Greater" -> v[i] = x > y ? 1 : 0;
                case "Max" -> v[i] = Math.max(x, y);
                case "Min" -> v[i] = Math.min(x, y);
                case "Add" -> v[i] = x + y;
                case "Sub" -> v[i] = x - y;
                case "Mul" -> v[i] = x * y;
                case "Div" -> v[i] = x / y;
                default -> {
                    return;
                }
            }
        }
        ints.put(n.getOutput(0), v);
    }

    /** The folded-constant form of {@code c} times the batch size. */
    public static long symbolic(long c) {
        return SYMBOLIC_BATCH + c - 1;
    }

    /** Whether a folded constant stands for a multiple of the batch size. */
    public static boolean isSymbolic(long v) {
        return v >= SYMBOLIC_BATCH && v < SYMBOLIC_BATCH + (1L << 40);
    }

    /** c for a folded constant that stands for c times the batch size. */
    private static long multiple(long v) {
        return v - SYMBOLIC_BATCH + 1;
    }

    /** Folds {@code Where(cond, a, b)} over integer constants (the exporters' "-1 means keep" shape arithmetic). */
    private void foldWhere(NodeProto n) {
        long[] c = ints.get(n.getInput(0));
        long[] a = ints.get(n.getInput(1));
        long[] b = ints.get(n.getInput(2));
        if (c == null || a == null || b == null) {
            return;
        }
        int len = Math.max(c.length, Math.max(a.length, b.length));
        if ((c.length != len && c.length != 1) || (a.length != len && a.length != 1) || (b.length != len
                && b.length != 1)) {
            return;
        }
        long[] v = new long[len];
        for (int i = 0; i < len; i++) {
            v[i] = c[c.length == 1 ? 0 : i] != 0 ? a[a.length == 1 ? 0 : i] : b[b.length == 1 ? 0 : i];
        }
        ints.put(n.getOutput(0), v);
    }

    /**
     * ONNX Slice's rule on one axis of size {@code dim}: {@code {first index, count}} of the elements taken from
     * {@code start} to {@code end} (exclusive, negative counts from the end, clamped) in steps of {@code step}.
     */
    public static long[] sliceRange(long start, long end, long step, long dim) {
        if (step == 0) {
            throw new GraphException("Slice with step 0");
        }
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        if (step > 0) {
            s = Math.max(0, Math.min(dim, s));
            e = Math.max(0, Math.min(dim, e));
            return new long[] {s, Math.max(0, (e - s + step - 1) / step)};
        }
        s = Math.max(-1, Math.min(dim - 1, s));
        e = Math.max(-1, Math.min(dim - 1, e));
        return new long[] {s, Math.max(0, (s - e - step - 1) / -step)};
    }

    private static long[] symbolicToBatch(long[] v) {
        long[] s = v.clone();
        for (int i = 0; i < s.length; i++) {
            if (isSymbolic(s[i])) {
                s[i] = -multiple(s[i]);
            }
        }
        return s;
    }

    /**
     * Reshape's output shape. Dimensions are static or multiples of the batch (negative); at most one of each side
     * may be symbolic. A {@code 0} copies the input's dimension, {@code -1} takes what is left.
     */
    private static long[] reshape(long[] x, long[] target, NodeProto n) {
        long[] s = new long[target.length];
        int infer = -1;
        long staticT = 1;
        long symT = 0;
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            if (isSymbolic(t)) {
                s[i] = -multiple(t);
            } else if (t == 0) {
                s[i] = x[i];
            } else if (t == -1) {
                infer = i;
                continue;
            } else {
                s[i] = t;
            }
            if (s[i] < 0) {
                if (symT != 0) {
                    throw new GraphException("node '" + n.getName() + "' (Reshape): two dimensions depend on the batch");
                }
                symT = -s[i];
            } else {
                staticT *= s[i];
            }
        }
        long staticX = 1;
        long symX = 0;
        for (long d : x) {
            if (d < 0) {
                if (symX != 0) {
                    throw new GraphException("node '" + n.getName() + "' (Reshape): input " + Shapes.str(x)
                            + " has two dimensions that depend on the batch");
                }
                symX = -d;
            } else {
                staticX *= d;
            }
        }
        if (infer >= 0) {
            long have = staticX * Math.max(1, symX);
            long want = staticT * Math.max(1, symT);
            if (symX != 0 && symT == 0) {
                if (have % staticT != 0) {
                    throw new GraphException("node '" + n.getName() + "' (Reshape): " + Shapes.str(x)
                            + " cannot be reshaped to " + Arrays.toString(target));
                }
                s[infer] = -(have / staticT);
            } else {
                if (want == 0 || have % want != 0) {
                    throw new GraphException("node '" + n.getName() + "' (Reshape): " + Shapes.str(x)
                            + " cannot be reshaped to " + Arrays.toString(target));
                }
                s[infer] = have / want;
            }
        }
        return s;
    }

    /** Product of dimensions; a multiple c of the batch among them makes the result a multiple of it (negative). */
    private static long product(long[] x, int from, int to) {
        long p = 1;
        boolean sym = false;
        for (int i = from; i < to; i++) {
            sym |= x[i] < 0;
            p *= Math.abs(x[i]);
        }
        return sym ? -p : p;
    }

    private static long[] reversed(int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = n - 1 - i;
        }
        return p;
    }

    static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** For diagnostics. */
    public List<String> values() {
        return List.copyOf(shapes.keySet());
    }
}
