package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds an ONNX graph node by node. Value names are unique: {@link #fresh} derives new ones from a prefix.
 * Dimensions given as {@link Shapes#BATCH} become the symbolic dimension {@code N}.
 */
public final class GraphBuilder {
    /** The opset of every graph widerobust builds. */
    public static final int OPSET = 17;

    private final GraphProto.Builder graph;
    private final Set<String> names = new HashSet<>();
    private final int opset;
    private int counter;

    public GraphBuilder(String name) {
        this.graph = GraphProto.newBuilder().setName(name);
        this.opset = OPSET;
    }

    /** Starts from a copy of an existing graph (nodes, initializers, inputs and outputs) at the model's opset. */
    public GraphBuilder(ModelProto model) {
        this.graph = model.getGraph().toBuilder();
        this.opset = opsetOf(model);
        for (ValueInfoProto v : graph.getInputList()) {
            names.add(v.getName());
        }
        for (TensorProto t : graph.getInitializerList()) {
            names.add(t.getName());
        }
        for (NodeProto n : graph.getNodeList()) {
            names.addAll(n.getOutputList());
            names.add(n.getName());
        }
    }

    /** The default-domain opset a model imports (1 if none is declared). */
    public static int opsetOf(ModelProto model) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 1;
    }

    public int opset() {
        return opset;
    }

    /** Returns an unused name starting with {@code prefix} and reserves it. */
    public String fresh(String prefix) {
        String name = prefix;
        while (names.contains(name)) {
            name = prefix + "_" + (++counter);
        }
        names.add(name);
        return name;
    }

    public String addInput(String name, DataType type, long... dims) {
        reserve(name);
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    public void addOutput(String name, DataType type, long... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** Adds a float initializer under exactly {@code name}. */
    public String addInitializer(String name, long[] dims, float[] values) {
        reserve(name);
        graph.addInitializer(Tensors.floats(name, dims, values));
        return name;
    }

    /** Adds an int64 constant (initializer) with a fresh name. */
    public String longs(String prefix, long... values) {
        String name = fresh(prefix);
        graph.addInitializer(Tensors.longs(name, new long[] {values.length}, values));
        return name;
    }

    /** Adds a float scalar constant (initializer) with a fresh name. */
    public String scalar(String prefix, float value) {
        String name = fresh(prefix);
        graph.addInitializer(Tensors.floats(name, new long[0], new float[] {value}));
        return name;
    }

    /** Adds a float constant (initializer) with a fresh name. */
    public String constant(String prefix, long[] dims, float[] values) {
        String name = fresh(prefix);
        graph.addInitializer(Tensors.floats(name, dims, values));
        return name;
    }

    /** Adds a single-output node and returns its (fresh) output name. Empty-string inputs stand for absent ones. */
    public String op(String opType, List<String> inputs, AttributeProto... attrs) {
        return ops(opType, inputs, 1, attrs)[0];
    }

    public String op(String opType, String input, AttributeProto... attrs) {
        return op(opType, List.of(input), attrs);
    }

    public String op(String opType, String a, String b, AttributeProto... attrs) {
        return op(opType, List.of(a, b), attrs);
    }

    /** Adds a node with {@code outputs} fresh outputs. */
    public String[] ops(String opType, List<String> inputs, int outputs, AttributeProto... attrs) {
        String[] outs = new String[outputs];
        String base = fresh(opType.toLowerCase() + "_" + (graph.getNodeCount()));
        for (int i = 0; i < outputs; i++) {
            outs[i] = i == 0 ? base : fresh(base + "_o" + i);
        }
        addNode(opType, inputs, Arrays.asList(outs), attrs);
        return outs;
    }

    /** Adds a node with the given output names (which must be new). */
    public void addNode(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        for (String o : outputs) {
            names.add(o);
        }
        graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(fresh("n_" + opType))
                .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(Arrays.asList(attrs)).build());
    }

    /** Direct access for graph rewrites (moving initializers to inputs, replacing nodes). */
    public GraphProto.Builder proto() {
        return graph;
    }

    public ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("widerobust")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph.build()).build();
    }

    private void reserve(String name) {
        if (!names.add(name)) {
            throw new GraphException("value name '" + name + "' is already used");
        }
    }

    public static ValueInfoProto valueInfo(String name, DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    /** Reads the static shape of a value info; symbolic or unknown dimensions become {@link Shapes#BATCH}. */
    public static long[] dimsOf(ValueInfoProto v) {
        TensorShapeProto s = v.getType().getTensorType().getShape();
        long[] dims = new long[s.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = s.getDim(i);
            dims[i] = d.hasDimValue() && d.getDimValue() > 0 ? d.getDimValue() : Shapes.BATCH;
        }
        return dims;
    }
}
