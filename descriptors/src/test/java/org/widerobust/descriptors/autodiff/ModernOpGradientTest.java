package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.reference.DTensor;

/**
 * Finite-difference checks of the rules that today's classifiers need (GELU via Erf or opset-20 Gelu, Mish,
 * HardSwish/HardSigmoid, LayerNormalization, the class-token Gather, Slice, Split, Where), of differentiating only
 * the input-to-logits path past integer shape arithmetic, of opset-11 graphs, and of the one-pass blocker list.
 */
class ModernOpGradientTest {
    private static final int K = 4;

    private static GradientChecker.Result check(Network net, DTensor input) {
        GradientChecker c = GradientChecker.of(net, new CrossEntropyLoss()).batch(2);
        if (input != null) {
            c = c.feed(OpGraph.INPUT, input);
        }
        GradientChecker.Result r = c.check();
        assertTrue(r.checked(OpGraph.INPUT) > 0);
        for (String p : r.graph().parameterGradients().keySet()) {
            assertTrue(r.checked(p) > 0, p);
        }
        return r;
    }

    /** Inputs spread over [-lo, hi] so every piece of a piecewise activation is visited. */
    private static DTensor spread(double lo, double hi, long... shape) {
        return GradientChecker.uniform(new Random(11), shape, lo, hi);
    }

    private static String scalarLong(OpGraph o, String prefix, long v) {
        String name = o.g.fresh(prefix);
        o.g.proto().addInitializer(Tensors.longs(name, new long[0], new long[] {v}));
        return name;
    }

    private static Network withOpset(Network net, int opset) {
        ModelProto m = net.model().toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
        return GradientChecker.network(net.name(), m, net.input(), net.logits(), net.exampleShape(),
                net.numClasses(), net.parameters());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Erf", "Softplus", "HardSwish"})
    void activation(String op) {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op(op, o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)));
        check(o.head(y, K), spread(-5, 5, 2, 2, 3, 3));
    }

    @Test
    void hardSigmoidAsPyTorchExportsIt() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("HardSigmoid", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.f("alpha", 1f / 6), Attr.f("beta", 0.5f));
        check(o.head(y, K), spread(-5, 5, 2, 2, 3, 3));
    }

    @Test
    void hardSigmoidDefaults() {
        OpGraph o = new OpGraph(6);
        check(o.head(o.op("HardSigmoid", o.input()), K), spread(-4, 4, 2, 6));
    }

    @Test
    void geluExactAsPyTorchExportsItBefore20() {
        OpGraph o = new OpGraph(5);
        String x = o.op("Mul", o.input(), o.param("p", 1, 0.3, 5));
        String e = o.op("Erf", o.op("Div", x, o.scalar("sqrt2", (float) Math.sqrt(2))));
        String y = o.op("Mul", o.op("Mul", x, o.op("Add", e, o.scalar("one", 1f))), o.scalar("half", 0.5f));
        check(o.head(y, K), spread(-3, 3, 2, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "tanh"})
    void gelu20(String approximate) {
        OpGraph o = new OpGraph(6);
        String y = o.op("Gelu", o.op("Mul", o.input(), o.param("p", 1, 0.3, 6)), Attr.s("approximate", approximate));
        check(withOpset(o.head(y, K), 20), spread(-3, 3, 2, 6));
    }

    @Test
    void mish18() {
        OpGraph o = new OpGraph(6);
        String y = o.op("Mish", o.op("Mul", o.input(), o.param("p", 1, 0.3, 6)));
        check(withOpset(o.head(y, K), 18), spread(-4, 4, 2, 6));
    }

    @Test
    void layerNormLastAxisWithScaleAndBias() {
        OpGraph o = new OpGraph(3, 5);
        String y = o.op("LayerNormalization", List.of(o.input(), o.param("s", 1, 0.3, 5), o.param("b", 0, 0.3, 5)),
                Attr.i("axis", -1), Attr.f("epsilon", 1e-5f));
        check(o.head(y, K), null);
    }

    @Test
    void layerNormOverChannelsAndSpaceWithoutBias() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("LayerNormalization", List.of(o.input(), o.param("s", 1, 0.3, 2, 3, 3)),
                Attr.i("axis", 1), Attr.f("epsilon", 1e-3f));
        check(o.head(y, K), null);
    }

    @Test
    void layerNormBroadcastScale() {
        OpGraph o = new OpGraph(2, 4);
        String y = o.op("LayerNormalization", List.of(o.input(), o.param("s", 1, 0.3, 1, 4),
                o.param("b", 0, 0.3, 4)), Attr.i("axis", 1));
        check(o.head(y, K), null);
    }

    @Test
    void classTokenGatherSliceAndSplit() {
        OpGraph o = new OpGraph(4, 6);
        String t = o.op("Tanh", o.input());
        String token = o.op("Gather", t, scalarLong(o, "i0", 0),
                Attr.i("axis", 1));
        String picked = o.op("Gather", t, o.longs("idx", 3, -1, 1), Attr.i("axis", 1));
        String sliced = o.op("Slice", List.of(t, o.longs("st", 1), o.longs("en", -1), o.longs("ax", 2)));
        String[] parts = o.g.ops("Split", List.of(t, o.longs("sizes", 2, 4)), 2, Attr.i("axis", 2));
        String y = o.op("Concat", List.of(o.op("Flatten", token), o.op("Flatten", picked), o.op("Flatten", sliced),
                o.op("Flatten", parts[0])), Attr.i("axis", 1));
        check(o.head(y, K), null);
    }

    @Test
    void splitWithAnUnreadOutput() {
        OpGraph o = new OpGraph(6);
        String[] parts = o.g.ops("Split", List.of(o.op("Tanh", o.input()), o.longs("sizes", 1, 2, 3)), 3,
                Attr.i("axis", 1));
        check(o.head(o.op("Mul", parts[2], parts[2]), K), null);
    }

    @Test
    void whereBetweenTwoBranches() {
        OpGraph o = new OpGraph(5);
        String cond = o.op("Greater", o.input(), o.scalar("zero", 0f));
        String y = o.op("Where", List.of(cond, o.op("Mul", o.input(), o.param("a", 1, 0.3, 5)),
                o.op("Tanh", o.input())));
        check(o.head(y, K), spread(-2, 2, 2, 5));
    }

    /**
     * torchvision's ViT plumbing: the batch size from Shape and Gather, the class token expanded to it through
     * ConstantOfShape/Equal/Where, concatenated with the tokens, the first token picked by Gather.
     */
    @Test
    void vitClassTokenPlumbing() {
        OpGraph o = new OpGraph(3, 4);
        String x = o.op("Tanh", o.input());
        String n = o.op("Unsqueeze", o.op("Gather", o.op("Shape", x), scalarLong(o, "zero_i", 0), Attr.i("axis", 0)), o.longs("ax0", 0));
        String sizes = o.op("Concat", List.of(n, o.longs("m1", -1, -1)), Attr.i("axis", 0));
        String ones = o.op("ConstantOfShape", o.op("Shape", sizes), Attr.tensor("value",
                Tensors.longs("one", new long[] {1}, new long[] {1})));
        String isKeep = o.op("Equal", sizes, o.op("Mul", ones, o.longs("minus", -1)));
        String target = o.op("Where", List.of(isKeep, ones, sizes));
        String cls = o.op("Expand", o.param("cls", 0.0, 1.0, 1, 1, 4), target);
        String tokens = o.op("Concat", List.of(cls, x), Attr.i("axis", 1));
        String first = o.op("Gather", tokens, scalarLong(o, "zero_j", 0), Attr.i("axis", 1));
        String flat = o.op("Reshape", tokens, o.op("Concat", List.of(n, o.longs("m", -1)), Attr.i("axis", 0)));
        String all = o.op("Concat", List.of(first, flat), Attr.i("axis", 1));
        check(o.head(all, K), null);
    }

    /** An opset-11 graph: Unsqueeze, Squeeze, ReduceSum take axes and Split its sizes as attributes. */
    @Test
    void opset11GraphIsUpgraded() {
        OpGraph o = new OpGraph(2, 6);
        String u = o.op("Unsqueeze", o.op("Tanh", o.input()), Attr.ints("axes", 1));
        String s = o.op("Squeeze", u, Attr.ints("axes", 1));
        String[] parts = o.g.ops("Split", List.of(s), 2, Attr.i("axis", 2), Attr.ints("split", 2, 4));
        String r = o.op("ReduceSum", parts[1], Attr.ints("axes", 2), Attr.i("keepdims", 1));
        String y = o.op("Softmax", o.op("Concat", List.of(parts[0], r), Attr.i("axis", 2)), Attr.i("axis", 2));
        GradientChecker.Result res = check(withOpset(o.head(y, K), 11), null);
        assertEquals(17, res.graph().model().getOpsetImport(0).getVersion());
    }

    @Test
    void opset11SoftmaxOverFlattenedAxesIsRefusedNamingIt() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Softmax", o.input(), Attr.i("axis", 1));
        Network net = withOpset(o.head(y, K), 11);
        GradientBlockedException e = assertThrows(GradientBlockedException.class,
                () -> Differentiator.differentiate(net, GradientRequest.inputOnly(new CrossEntropyLoss(), false)));
        assertEquals("Softmax", e.blockers().get(0).op());
        assertTrue(e.getMessage().contains("opset 13"), e.getMessage());
    }

    /** Every blocker on the path in one error; ops off the path (even without shapes) are not blockers. */
    @Test
    void everyBlockerOnThePathIsListedOnce() {
        OpGraph o = new OpGraph(2, 3);
        String a = o.op("Cos", o.input());
        String b = o.op("Add", a, o.op("Round", o.input()));
        String side = o.op("NonZero", o.op("Sin", o.input()));
        assertFalse(side.isEmpty());
        String c = o.op("Ceil", b);
        Network net = o.head(c, K);
        List<Blocker> bs = Differentiator.blockers(net);
        assertEquals(List.of("Cos", "Round", "Ceil"), bs.stream().map(Blocker::op).toList(), bs.toString());
        GradientBlockedException e = assertThrows(GradientBlockedException.class,
                () -> Differentiator.differentiate(net, GradientRequest.inputOnly(new CrossEntropyLoss(), false)));
        assertEquals(bs, e.blockers());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("3 blockers (ops Cos, Round, Ceil)"), e.getMessage());
    }

    @Test
    void shapeInferenceFailureOnThePathIsReportedAtItsRoot() {
        OpGraph o = new OpGraph(2, 3);
        String shape = o.op("NonZero", o.op("Abs", o.input()));
        String y = o.op("Reshape", o.op("Tanh", o.input()), o.op("Shape", shape));
        Network net = o.logits(o.op("Flatten", y), 3);
        List<Blocker> bs = Differentiator.blockers(net);
        assertEquals(1, bs.size(), bs.toString());
        assertEquals("NonZero", bs.get(0).op());
    }

    @Test
    void trainingModeBatchNormIsABlockerThatSaysEval() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.g.ops("BatchNormalization", List.of(o.input(), o.param("s", 1, 0.1, 2), o.param("b", 0, 0.1, 2),
                o.buffer("m", 0, 0.1, 2), o.buffer("v", 1, 0, 2)), 3, Attr.i("training_mode", 1))[0];
        List<Blocker> bs = Differentiator.blockers(withOpset(o.head(y, K), 15));
        assertEquals(1, bs.size());
        assertTrue(bs.get(0).reason().contains("model.eval()"), bs.get(0).reason());
    }

    @Test
    void intConstantGraphStillDifferentiatesWithDataType() {
        assertEquals(DataType.INT64.getNumber(), Tensors.longs("x", new long[] {1}, new long[] {1}).getDataType());
    }
}
