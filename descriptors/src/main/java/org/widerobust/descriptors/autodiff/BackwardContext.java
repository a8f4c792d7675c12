package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.GraphException;
import org.widerobust.descriptors.graph.ShapeInference;

/**
 * What a {@link BackwardRule} sees: the graph being built, static shapes of forward values, the gradients of a
 * node's outputs, and where to add the gradients of its inputs. Contributions to one value are summed once all
 * consumers have been visited.
 */
public final class BackwardContext {
    private final GraphBuilder g;
    private final ShapeInference shapes;
    private final Set<String> requiresGrad;
    private final Map<String, List<String>> contributions = new HashMap<>();
    private final Map<String, Integer> added = new HashMap<>();
    private final Map<String, String> shapeNodes = new HashMap<>();
    private final Map<String, Integer> nodeIndex;
    private final Map<String, Integer> consumers;
    private final Set<String> reluMasked = new java.util.HashSet<>();
    private final boolean constantWeights;

    BackwardContext(GraphBuilder g, ShapeInference shapes, Set<String> requiresGrad, Map<String, Integer> nodeIndex,
                    Map<String, Integer> consumers, boolean constantWeights) {
        this.g = g;
        this.constantWeights = constantWeights;
        this.shapes = shapes;
        this.requiresGrad = requiresGrad;
        this.nodeIndex = nodeIndex;
        this.consumers = consumers;
    }

    /** How many forward nodes read a value. */
    public int consumerCount(String value) {
        return consumers.getOrDefault(value, 0);
    }

    /**
     * Whether a value is the output of a Relu whose only reader is {@code node}: the reader may then apply the ReLU
     * mask itself, on a smaller tensor, and {@link #markReluMasked} it.
     */
    public boolean isSoleReluInput(String value) {
        NodeProto producer = shapes.producer(value);
        return producer != null && producer.getOpType().equals("Relu") && consumerCount(value) == 1;
    }

    /** Records that the gradient flowing into this Relu output already carries the ReLU mask. */
    public void markReluMasked(String value) {
        reluMasked.add(value);
    }

    public boolean isReluMasked(String value) {
        return reluMasked.contains(value);
    }

    public GraphBuilder g() {
        return g;
    }

    public ShapeInference shapes() {
        return shapes;
    }

    /** Static shape of a forward value. */
    public long[] shape(String value) {
        return shapes.shape(value);
    }

    /** Whether a gradient must flow into this forward value. */
    public boolean needs(String value) {
        return !value.isEmpty() && requiresGrad.contains(value);
    }

    /** Whether the {@code i}-th input of {@code node} needs a gradient. */
    public boolean needs(NodeProto node, int i) {
        return i < node.getInputCount() && needs(node.getInput(i));
    }

    /** Adds a contribution to the gradient of a forward value. */
    public void add(String value, String gradient) {
        contributions.computeIfAbsent(value, k -> new ArrayList<>()).add(gradient);
        added.merge(value, 1, Integer::sum);
    }

    /** How many contributions {@link #add} has received for a value so far (never decreases). */
    int contributionCount(String value) {
        return added.getOrDefault(value, 0);
    }

    /** The total gradient of a forward value (a Sum node if several consumers contributed), or null. */
    public String gradient(String value) {
        List<String> c = contributions.get(value);
        if (c == null || c.isEmpty()) {
            return null;
        }
        if (c.size() > 1) {
            String sum = g.op("Sum", List.copyOf(c));
            c.clear();
            c.add(sum);
        }
        return c.get(0);
    }

    /** The gradient of {@code node}'s {@code i}-th output, or null. */
    public String outputGradient(NodeProto node, int i) {
        return i < node.getOutputCount() ? gradient(node.getOutput(i)) : null;
    }

    /** A Shape node over a forward value (one per value). */
    public String shapeOf(String value) {
        return shapeNodes.computeIfAbsent(value, v -> g.op("Shape", v));
    }

    /** Reshapes a gradient back to the (dynamic) shape of a forward value. */
    public String reshapeLike(String grad, String value) {
        return g.op("Reshape", grad, shapeOf(value));
    }

    /**
     * Sums a gradient of broadcast shape {@code from} down to {@code to}: the extra leading axes, and every axis
     * where {@code to} has size 1 and {@code from} does not.
     */
    public String unbroadcast(String grad, long[] from, long[] to) {
        int extra = from.length - to.length;
        String out = grad;
        if (extra > 0) {
            long[] lead = new long[extra];
            for (int i = 0; i < extra; i++) {
                lead[i] = i;
            }
            out = g.op("ReduceSum", out, g.longs("axes", lead), Attr.i("keepdims", 0));
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < to.length; i++) {
            if (to[i] == 1 && from[i + extra] != 1) {
                axes.add((long) i);
            }
        }
        if (!axes.isEmpty()) {
            out = g.op("ReduceSum", out, g.longs("axes", axes.stream().mapToLong(Long::longValue).toArray()),
                    Attr.i("keepdims", 1));
        }
        return out;
    }

    /** {@code unbroadcast} from the shape of {@code node}'s output to the shape of its {@code i}-th input. */
    public String unbroadcastTo(NodeProto node, String grad, int i) {
        return unbroadcast(grad, shape(node.getOutput(0)), shape(node.getInput(i)));
    }

    /**
     * The 0/1 mask {@code y > 0} of a ReLU output {@code y}, built from the output so that ONNX Runtime keeps its
     * Conv+Relu fusion. With constant weights ONNX Runtime runs the convolutions around a 4-D {@code y} in its
     * blocked (NCHWc) layout, which has no comparison or cast: there the mask is a depthwise 1×1 Conv scaling by
     * 2^127, clipped to [0, 1], which stays in that layout. It is exact for 0 and for every activation of at least
     * 2^-127; only activations below that (all subnormal, where ReLU's kink is within float precision) get a value
     * between 0 and 1.
     */
    public String reluMask(String y) {
        long[] s = shape(y);
        if (!constantWeights || s.length != 4 || s[1] % BlockedLayout.WHOLE_BLOCKS != 0) {
            return mask(g.op("Greater", y, g.scalar("zero", 0f)));
        }
        long channels = s[1];
        float[] scale = new float[Math.toIntExact(channels)];
        Arrays.fill(scale, 0x1p127f);
        String scaled = g.op("Conv", List.of(y, g.constant("relu_mask_scale", new long[] {channels, 1, 1, 1}, scale)),
                Attr.i("group", channels));
        return g.op("Clip", List.of(scaled, g.scalar("zero", 0f), g.scalar("one", 1f)));
    }

    /** {@code Cast(predicate, FLOAT)}: a 0/1 mask. */
    public String mask(String predicate) {
        return g.op("Cast", predicate, Attr.i("to", DataType.FLOAT.getNumber()));
    }

    /**
     * Makes the forward copy of {@code node} produce an extra output (for example MaxPool's indices) and returns its
     * name; reuses the output when the node already has it.
     */
    public String extraForwardOutput(NodeProto node, int outputIndex) {
        if (outputIndex < node.getOutputCount() && !node.getOutput(outputIndex).isEmpty()) {
            return node.getOutput(outputIndex);
        }
        Integer idx = nodeIndex.get(node.getOutput(0));
        if (idx == null) {
            throw new GraphException("node '" + node.getName() + "' is not part of the forward graph");
        }
        NodeProto.Builder b = g.proto().getNodeBuilder(idx);
        String name = g.fresh(node.getOutput(0) + "_extra" + outputIndex);
        while (b.getOutputCount() < outputIndex) {
            b.addOutput("");
        }
        b.addOutput(name);
        return name;
    }

    GraphException unsupported(NodeProto node, String why) {
        return new GraphException("cannot differentiate node '" + node.getName() + "' (op " + node.getOpType() + "): "
                + why);
    }
}
