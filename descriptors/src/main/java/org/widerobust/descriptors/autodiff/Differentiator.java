package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.GraphException;
import org.widerobust.descriptors.graph.GraphRewrites;
import org.widerobust.descriptors.graph.OpsetUpgrade;
import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.ShapeInference;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.network.Network;

/**
 * Builds the reverse-mode gradient graph of a network and a loss. The result contains the forward nodes, the loss
 * head, and for every forward node on a path from a differentiated value to the loss, the nodes of its
 * {@link BackwardRule}. Nodes that block the gradient are all reported together in a
 * {@link GradientBlockedException}.
 */
public final class Differentiator {
    /** Output name of d loss / d input. */
    public static final String INPUT_GRADIENT = "grad_input";
    /** Output name of the scalar loss. */
    public static final String LOSS = "loss";
    /** Output name of the per-example loss. */
    public static final String LOSS_PER_EXAMPLE = "loss_per_example";
    /** Prefix of parameter-gradient output names. */
    public static final String GRAD_PREFIX = "grad.";
    /**
     * The opset whose forward graphs are differentiated (axes and split sizes as inputs); older graphs (11, 12) are
     * upgraded to it first.
     */
    public static final int MIN_OPSET = OpsetUpgrade.TARGET;

    /** Ops whose outputs are integers or booleans whatever their inputs: never on a gradient path. */
    private static final Set<String> INTEGER_OUTPUTS = Set.of("Shape", "Size", "NonZero", "ArgMax", "ArgMin",
            "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf");

    private Differentiator() {}

    /**
     * Every reason the input gradient of {@code net} cannot be built, found in one pass (empty when it can). Builds
     * the gradient graph of the cross-entropy in memory (no ONNX Runtime session), so it is cheap.
     */
    public static List<Blocker> blockers(Network net) {
        try {
            differentiate(net, GradientRequest.inputOnly(new CrossEntropyLoss(), false));
            return List.of();
        } catch (GradientBlockedException e) {
            return e.blockers();
        }
    }

    /**
     * Builds the gradient graph. Only the nodes on a path from a differentiated value (the input, requested
     * parameters) to the logits are differentiated; integer shape computations and side branches are left as
     * they are. A graph of opset 11 or 12 is first upgraded to 13 ({@link OpsetUpgrade}).
     *
     * @throws GradientBlockedException listing every node that blocks the gradient (op, node, reason)
     */
    public static GradientGraph differentiate(Network net, GradientRequest req) {
        ModelProto model = net.model();
        int opset = GraphBuilder.opsetOf(model);
        if (opset < MIN_OPSET) {
            OpsetUpgrade.Result up = OpsetUpgrade.toOpset13(model);
            if (up.model() == null) {
                List<Blocker> bs = new ArrayList<>();
                up.refusals().forEach((n, why) -> bs.add(blocker(n, why)));
                throw new GradientBlockedException(net.name(), bs);
            }
            model = up.model();
            opset = GraphBuilder.opsetOf(model);
        }
        ShapeInference shapes = ShapeInference.of(model);
        GraphBuilder g = new GraphBuilder(model);
        g.proto().clearOutput();
        Map<String, Integer> nodeIndex = new HashMap<>();
        List<NodeProto> forward = model.getGraph().getNodeList();
        for (int i = 0; i < forward.size(); i++) {
            nodeIndex.put(forward.get(i).getOutput(0), i);
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.add(t.getName());
        }
        for (String p : req.parameters()) {
            if (!initializers.contains(p)) {
                throw new GraphException("'" + p + "' is not a parameter (initializer) of " + net.name());
            }
        }
        Set<String> requiresGrad = requiresGrad(forward, shapes, req, net.input());
        List<Blocker> blockers = pathBlockers(forward, shapes, requiresGrad, net.logits());
        if (!blockers.isEmpty()) {
            throw new GradientBlockedException(net.name(), blockers);
        }

        LossHead head = req.loss();
        List<String> lossInputs = new ArrayList<>();
        for (ValueInfoProto v : head.inputs(net.numClasses())) {
            g.proto().addInput(v);
            lossInputs.add(v.getName());
        }
        LossHead.Outputs lossOut = head.build(g, net.logits(), net.numClasses(), req.reduction());

        Map<String, Integer> consumers = new HashMap<>();
        for (NodeProto n : forward) {
            for (String in : n.getInputList()) {
                consumers.merge(in, 1, Integer::sum);
            }
        }
        consumers.merge(net.logits(), 1, Integer::sum);
        BackwardContext ctx = new BackwardContext(g, shapes, requiresGrad, nodeIndex, consumers,
                !req.parametersAsInputs());
        ctx.add(net.logits(), lossOut.gradLogits());
        for (int i = forward.size() - 1; i >= 0; i--) {
            NodeProto node = forward.get(i);
            if (!anyInputNeeds(node, ctx) || !hasOutputGradient(node, ctx)) {
                continue;
            }
            BackwardRule rule = BackwardRules.forOp(node.getOpType());
            int[] before = new int[node.getInputCount()];
            for (int j = 0; j < before.length; j++) {
                before[j] = ctx.contributionCount(node.getInput(j));
            }
            try {
                rule.backward(node, ctx);
                // A rule that ignores an input needing a gradient would silently give it zeros.
                for (int j = 0; j < before.length; j++) {
                    if (ctx.needs(node, j) && ctx.contributionCount(node.getInput(j)) == before[j]) {
                        blockers.add(blocker(node, "no gradient for input " + j + " ('" + node.getInput(j) + "')"));
                    }
                }
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                String prefix = "cannot differentiate node '" + node.getName() + "' (op " + node.getOpType() + "): ";
                blockers.add(blocker(node, why.startsWith(prefix) ? why.substring(prefix.length()) : why));
            }
        }
        if (!blockers.isEmpty()) {
            java.util.Collections.reverse(blockers);
            throw new GradientBlockedException(net.name(), blockers);
        }

        addOutput(g, shapes, net.logits(), net.logits());
        g.addNode("Identity", List.of(lossOut.total()), List.of(LOSS));
        g.addOutput(LOSS, DataType.FLOAT);
        g.addNode("Identity", List.of(lossOut.perExample()), List.of(LOSS_PER_EXAMPLE));
        g.addOutput(LOSS_PER_EXAMPLE, DataType.FLOAT, org.widerobust.descriptors.graph.Shapes.BATCH);
        String inputGrad = null;
        if (req.inputGradient()) {
            inputGrad = INPUT_GRADIENT;
            emit(g, shapes, ctx.gradient(net.input()), net.input(), inputGrad);
        }
        Map<String, String> paramGrads = new LinkedHashMap<>();
        for (String p : req.parameters()) {
            String name = GRAD_PREFIX + p;
            emit(g, shapes, ctx.gradient(p), p, name);
            paramGrads.put(p, name);
        }
        for (String extra : req.extraOutputs()) {
            addOutput(g, shapes, extra, extra);
        }
        List<String> paramInputs = req.parametersAsInputs() ? net.parameters() : List.of();
        ModelProto built = GraphRewrites.initializersToInputs(withOpset(g.build(), Math.max(opset,
                GraphBuilder.OPSET)), paramInputs);
        return new GradientGraph(built, net.input(), net.logits(), LOSS, LOSS_PER_EXAMPLE, inputGrad, paramGrads,
                paramInputs, lossInputs);
    }

    /** Marks every float value that depends on the input (if its gradient is wanted) or on a requested parameter. */
    private static Set<String> requiresGrad(List<NodeProto> nodes, ShapeInference shapes, GradientRequest req,
                                            String input) {
        Set<String> rg = new HashSet<>(req.parameters());
        if (req.inputGradient()) {
            rg.add(input);
        }
        for (NodeProto n : nodes) {
            boolean any = false;
            for (String in : n.getInputList()) {
                any |= rg.contains(in);
            }
            if (any && !INTEGER_OUTPUTS.contains(n.getOpType())) {
                for (String out : n.getOutputList()) {
                    if (!out.isEmpty() && shapes.isFloat(out)) {
                        rg.add(out);
                    }
                }
            }
        }
        return rg;
    }

    /**
     * The nodes on a path from a value needing a gradient to the logits that cannot be differentiated: no rule,
     * no inferable shape (reported at the node where inference first failed), or exported in training mode.
     */
    private static List<Blocker> pathBlockers(List<NodeProto> nodes, ShapeInference shapes, Set<String> requiresGrad,
                                              String logits) {
        Set<String> feedsLogits = new HashSet<>(Set.of(logits));
        Set<NodeProto> onPath = new HashSet<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            boolean feeds = n.getOutputList().stream().anyMatch(feedsLogits::contains);
            if (!feeds) {
                continue;
            }
            feedsLogits.addAll(n.getInputList());
            boolean carries = n.getOutputList().stream().anyMatch(o -> requiresGrad.contains(o)
                    && feedsLogits.contains(o));
            if (carries && n.getInputList().stream().anyMatch(requiresGrad::contains)) {
                onPath.add(n);
            }
        }
        Map<NodeProto, String> found = new java.util.LinkedHashMap<>();
        for (NodeProto n : nodes) {
            if (!onPath.contains(n)) {
                continue;
            }
            if (BackwardRules.forOp(n.getOpType()) == null) {
                found.put(n, "no gradient rule for this op");
            } else if (n.getOpType().equals("BatchNormalization") && (Attr.getInt(n, "training_mode", 0) != 0
                    || n.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty()))) {
                found.put(n, "exported in training mode (batch statistics); export with model.eval()");
            } else if (shapes.failures().containsKey(n)) {
                NodeProto root = rootFailure(n, shapes);
                found.putIfAbsent(root, "shape inference: " + shapes.failures().get(root));
            }
        }
        List<Blocker> out = new ArrayList<>();
        for (NodeProto n : nodes) {
            if (found.containsKey(n)) {
                out.add(blocker(n, found.get(n)));
            }
        }
        return out;
    }

    /** Follows unknown input shapes back to the node where shape inference first failed. */
    private static NodeProto rootFailure(NodeProto n, ShapeInference shapes) {
        NodeProto cur = n;
        for (int guard = 0; guard < 10_000; guard++) {
            NodeProto next = null;
            for (String in : cur.getInputList()) {
                if (!in.isEmpty() && !shapes.hasShape(in) && shapes.producer(in) != null
                        && shapes.failures().containsKey(shapes.producer(in))) {
                    next = shapes.producer(in);
                    break;
                }
            }
            if (next == null) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    private static Blocker blocker(NodeProto n, String why) {
        return new Blocker(n.getOpType(), n.getName().isEmpty() ? n.getOutput(0) : n.getName(), why);
    }

    private static boolean hasOutputGradient(NodeProto node, BackwardContext ctx) {
        for (int i = 0; i < node.getOutputCount(); i++) {
            if (ctx.outputGradient(node, i) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyInputNeeds(NodeProto node, BackwardContext ctx) {
        for (int i = 0; i < node.getInputCount(); i++) {
            if (ctx.needs(node, i)) {
                return true;
            }
        }
        return false;
    }

    /** Emits a gradient output; a value the loss does not depend on gets zeros of its shape. */
    private static void emit(GraphBuilder g, ShapeInference shapes, String grad, String value, String outName) {
        String src = grad != null ? grad : g.op("Mul", value, g.scalar("zero", 0f));
        g.addNode("Identity", List.of(src), List.of(outName));
        g.addOutput(outName, DataType.FLOAT, shapes.shape(value));
    }

    /** Forward ops of opset 13 keep their meaning at 17, and the backward ops need 17 (ScatterElements' reduction). */
    private static ModelProto withOpset(ModelProto model, int opset) {
        return model.toBuilder().clearOpsetImport().addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }

    private static void addOutput(GraphBuilder g, ShapeInference shapes, String value, String name) {
        g.addOutput(name, DataType.forNumber(shapes.type(value)), shapes.shape(value));
    }
}
