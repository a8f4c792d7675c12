package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates an ONNX graph in double precision, node by node in the order given (graphs must be topologically
 * sorted). Only the default ONNX domain is supported; the op semantics follow the ONNX specification for the
 * opset the model imports (opsets 11 to 17 are covered). Unsupported ops throw
 * {@link UnsupportedOperationException} naming the op type and node.
 */
public final class ReferenceInterpreter {

    private static final Map<String, OpKernel> KERNELS;

    static {
        Map<String, OpKernel> k = new HashMap<>();
        ElementwiseOps.register(k);
        ShapeOps.register(k);
        IndexOps.register(k);
        ReduceOps.register(k);
        LinearOps.register(k);
        ConvOps.register(k);
        PoolOps.register(k);
        ActivationOps.register(k);
        KERNELS = Collections.unmodifiableMap(k);
    }

    private final OnnxMl.GraphProto graph;
    private final int opset;

    /** Reads the opset version of the default domain ("" or "ai.onnx") from the model's opset imports. */
    public ReferenceInterpreter(OnnxMl.ModelProto model) {
        this.graph = model.getGraph();
        int v = -1;
        for (OnnxMl.OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                v = (int) id.getVersion();
            }
        }
        if (v < 0) {
            throw new IllegalArgumentException("model imports no opset for the default ONNX domain");
        }
        this.opset = v;
    }

    /** The default-domain opset version the graph is interpreted under. */
    public int opset() {
        return opset;
    }

    /** Whether an op type of the default domain has a kernel. */
    public static boolean supports(String opType) {
        return KERNELS.containsKey(opType);
    }

    /**
     * Evaluates the graph: initializers are loaded, then {@code inputs} override or add values; nodes run in
     * the order given. Returns all values (inputs, initializers, every node output) by name.
     */
    public Map<String, DTensor> runAll(Map<String, DTensor> inputs) {
        Map<String, DTensor> values = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            values.put(t.getName(), DTensor.fromProto(t));
        }
        values.putAll(inputs);
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            NodeContext ctx = new NodeContext(node, opset);
            String domain = node.getDomain();
            OpKernel kernel = (domain.isEmpty() || domain.equals("ai.onnx")) ? KERNELS.get(node.getOpType()) : null;
            if (kernel == null) {
                throw new UnsupportedOperationException("unsupported op '" + node.getOpType() + "'"
                        + (domain.isEmpty() ? "" : " (domain '" + domain + "')") + " in node '" + node.getName() + "'");
            }
            DTensor[] in = new DTensor[node.getInputCount()];
            for (int i = 0; i < in.length; i++) {
                String name = node.getInput(i);
                if (name.isEmpty()) {
                    continue;
                }
                in[i] = values.get(name);
                if (in[i] == null) {
                    throw new IllegalStateException(ctx.describe() + ": input '" + name
                            + "' is neither a graph input, an initializer nor an earlier node output");
                }
            }
            DTensor[] out;
            try {
                out = kernel.apply(ctx, in);
            } catch (UnsupportedOperationException | IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                String msg = e.getMessage() != null && e.getMessage().startsWith(ctx.describe()) ? e.getMessage()
                        : ctx.describe() + ": " + e;
                throw new IllegalStateException(msg, e);
            }
            for (int i = 0; i < node.getOutputCount(); i++) {
                String name = node.getOutput(i);
                if (name.isEmpty()) {
                    continue;
                }
                if (i >= out.length || out[i] == null) {
                    throw new IllegalStateException(ctx.describe() + ": output " + i + " ('" + name + "') is not produced");
                }
                values.put(name, out[i]);
            }
        }
        return values;
    }

    /** Evaluates the graph and returns only its declared outputs, in declaration order. */
    public Map<String, DTensor> run(Map<String, DTensor> inputs) {
        Map<String, DTensor> all = runAll(inputs);
        Map<String, DTensor> out = new LinkedHashMap<>();
        for (OnnxMl.ValueInfoProto o : graph.getOutputList()) {
            DTensor t = all.get(o.getName());
            if (t == null) {
                throw new IllegalStateException("graph output '" + o.getName() + "' was not computed");
            }
            out.put(o.getName(), t);
        }
        return out;
    }
}
