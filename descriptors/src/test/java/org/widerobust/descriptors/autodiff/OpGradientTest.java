package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphException;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.reference.DTensor;

/**
 * One gradient check per differentiable op: a tiny forward graph (the op, then Flatten and a Gemm to 4 classes),
 * cross-entropy, and the gradients with respect to the input and every parameter compared with central finite
 * differences in double precision.
 */
class OpGradientTest {
    private static final int K = 4;

    private static GradientChecker checker(Network net) {
        return GradientChecker.of(net, new CrossEntropyLoss()).batch(2);
    }

    /** Checks the input and every parameter, and that each of them was actually compared. */
    private static GradientChecker.Result check(Network net) {
        return checkAll(checker(net));
    }

    private static GradientChecker.Result check(Network net, DTensor input) {
        return checkAll(checker(net).feed(OpGraph.INPUT, input));
    }

    private static GradientChecker.Result checkAll(GradientChecker c) {
        GradientChecker.Result r = c.check();
        assertTrue(r.checked(OpGraph.INPUT) > 0);
        for (String p : r.graph().parameterGradients().keySet()) {
            assertTrue(r.checked(p) > 0, p);
        }
        return r;
    }

    private static DTensor positive(long... shape) {
        return GradientChecker.uniform(new Random(3), shape, 0.5, 2.0);
    }

    // ---------------------------------------------------------------- Conv

    @Test
    void convStride2PaddingBias() {
        OpGraph o = new OpGraph(2, 8, 8);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3, 3), o.param("b", 3)),
                Attr.ints("strides", 2, 2), Attr.ints("pads", 1, 1, 1, 1), Attr.ints("kernel_shape", 3, 3));
        check(o.head(y, K));
    }

    @Test
    void convStride2AsymmetricPadsNoBias() {
        OpGraph o = new OpGraph(2, 7, 6);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3, 2)), Attr.ints("strides", 2, 3),
                Attr.ints("pads", 0, 1, 2, 0));
        check(o.head(y, K));
    }

    @Test
    void convDilation2() {
        OpGraph o = new OpGraph(2, 9, 9);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3, 3), o.param("b", 3)),
                Attr.ints("dilations", 2, 2), Attr.ints("pads", 1, 2, 2, 1));
        check(o.head(y, K));
    }

    @Test
    void convDilation2Stride2() {
        OpGraph o = new OpGraph(2, 10, 9);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 2, 2, 3, 3)), Attr.ints("dilations", 2, 2),
                Attr.ints("strides", 2, 2), Attr.ints("pads", 1, 1, 1, 1));
        check(o.head(y, K));
    }

    @Test
    void convGroups2WithBias() {
        OpGraph o = new OpGraph(4, 5, 5);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 6, 2, 3, 3), o.param("b", 6)),
                Attr.i("group", 2), Attr.ints("pads", 1, 1, 1, 1));
        check(o.head(y, K));
    }

    @Test
    void convGroups2Stride2NoBias() {
        OpGraph o = new OpGraph(4, 6, 6);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 4, 2, 3, 3)), Attr.i("group", 2),
                Attr.ints("strides", 2, 2));
        check(o.head(y, K));
    }

    @Test
    void convDepthwise() {
        OpGraph o = new OpGraph(3, 5, 5);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 3, 1, 3, 3), o.param("b", 3)),
                Attr.i("group", 3), Attr.ints("pads", 1, 1, 1, 1));
        check(o.head(y, K));
    }

    @Test
    void convPointwise() {
        OpGraph o = new OpGraph(3, 4, 4);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 5, 3, 1, 1), o.param("b", 5)));
        check(o.head(y, K));
    }

    @Test
    void convPointwiseStride2() {
        OpGraph o = new OpGraph(3, 5, 5);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 2, 3, 1, 1)), Attr.ints("strides", 2, 2));
        check(o.head(y, K));
    }

    @Test
    void conv1d() {
        OpGraph o = new OpGraph(2, 9);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3), o.param("b", 3)),
                Attr.ints("strides", 2), Attr.ints("pads", 1, 1));
        check(o.head(y, K));
    }

    @Test
    void convChainWithRelu() {
        OpGraph o = new OpGraph(1, 8, 8);
        String y = o.op("Relu", o.op("Conv", List.of(o.input(), o.param("w1", 3, 1, 3, 3), o.param("b1", 3))));
        y = o.op("Conv", List.of(y, o.param("w2", 2, 3, 3, 3)), Attr.ints("strides", 2, 2));
        check(o.head(y, K));
    }

    // ---------------------------------------------------------------- Gemm and MatMul

    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3} C={4}")
    @CsvSource({
        "0, 0, 1.0, 1.0, K",
        "0, 1, 0.7, 1.3, 1xK",
        "1, 0, 1.5, 0.5, scalar",
        "1, 1, 0.6, 2.0, NxK",
        "0, 0, 1.0, 0.0, none",
        "1, 1, 1.0, 1.0, K",
    })
    void gemm(int ta, int tb, float alpha, float beta, String cShape) {
        OpGraph o = new OpGraph(2, 3);
        String flat = o.op("Flatten", o.input());
        String a = ta == 1 ? o.op("Transpose", flat) : flat;
        long f = 6;
        long m = 5;
        String b = tb == 1 ? o.param("b", m, f) : o.param("b", f, m);
        List<String> in = switch (cShape) {
            case "K" -> List.of(a, b, o.param("c", m));
            case "1xK" -> List.of(a, b, o.param("c", 1, m));
            case "scalar" -> List.of(a, b, o.param("c"));
            // C computed from the input, [N, 5], through a fixed projection
            case "NxK" -> List.of(a, b, o.op("Gemm", List.of(flat, o.buffer("proj", 0, 1, f, m))));
            default -> List.of(a, b);
        };
        String y = o.op("Gemm", in, Attr.i("transA", ta), Attr.i("transB", tb), Attr.f("alpha", alpha),
                Attr.f("beta", beta));
        check(o.head(y, K));
    }

    @Test
    void gemmAsLogits() {
        OpGraph o = new OpGraph(3, 2);
        String y = o.op("Gemm", List.of(o.op("Flatten", o.input()), o.param("w", K, 6), o.param("b", K)),
                Attr.i("transB", 1));
        check(o.logits(y, K));
    }

    @Test
    void matMul2d() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("MatMul", o.op("Flatten", o.input()), o.param("w", 6, 5));
        check(o.head(y, K));
    }

    @Test
    void matMulBatchedRank2Weight() {
        OpGraph o = new OpGraph(3, 4);
        check(o.head(o.op("MatMul", o.input(), o.param("w", 4, 5)), K));
    }

    @Test
    void matMulBatchedBroadcastBothSides() {
        // [N,1,3,4] @ [2,4,5] -> [N,2,3,5]
        OpGraph o = new OpGraph(1, 3, 4);
        check(o.head(o.op("MatMul", o.input(), o.param("w", 2, 4, 5)), K));
    }

    @Test
    void matMulParameterOnTheLeft() {
        // [3,3] @ [N,3,4] -> [N,3,4]; [N,2,3,4] @ [N,2,4,3] (input with itself, both operands need gradients)
        OpGraph o = new OpGraph(2, 3, 4);
        String y = o.op("MatMul", o.param("w", 3, 3), o.input());
        String yt = o.op("Transpose", o.input(), Attr.ints("perm", 0, 1, 3, 2));
        String z = o.op("MatMul", y, yt);
        check(o.head(z, K));
    }

    // ---------------------------------------------------------------- broadcasting arithmetic

    /** {@code [N,C,H,W] op [C,1,1]}, then {@code op [N,1,1,1]} (a per-example statistic), then {@code [1,C,1,W] op}. */
    @ParameterizedTest
    @ValueSource(strings = {"Add", "Sub", "Mul"})
    void broadcastArithmetic(String op) {
        OpGraph o = new OpGraph(3, 3, 4);
        String y = o.op(op, o.input(), o.param("p", 3, 1, 1));
        String s = o.op("ReduceMean", y, Attr.ints("axes", 1, 2, 3));
        y = o.op(op, y, s);
        y = o.op(op, o.param("q", 1, 3, 1, 4), y);
        check(o.head(y, K));
    }

    @Test
    void broadcastDiv() {
        OpGraph o = new OpGraph(3, 3, 4);
        String y = o.op("Div", o.input(), o.param("p", 1.5, 0.3, 3, 1, 1));
        String s = o.op("Add", o.op("ReduceMean", o.op("Mul", y, y), Attr.ints("axes", 1, 2, 3)),
                o.scalar("one", 1f));
        y = o.op("Div", y, s);
        y = o.op("Add", y, o.op("Div", o.param("q", 3, 1, 1), s));
        check(o.head(y, K));
    }

    @Test
    void sumVariadicBroadcast() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("Sum", List.of(o.input(), o.param("p", 2, 1, 1), o.op("Mul", o.input(), o.input()),
                o.param("q", 3)));
        check(o.head(y, K));
    }

    @Test
    void neg() {
        OpGraph o = new OpGraph(2, 3);
        check(o.head(o.op("Mul", o.op("Neg", o.input()), o.param("p", 2, 1)), K));
    }

    // ---------------------------------------------------------------- activations and unary ops

    @ParameterizedTest
    @ValueSource(strings = {"Relu", "Sigmoid", "Tanh", "Exp", "Abs"})
    void unaryActivation(String op) {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op(op, o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)));
        check(o.head(y, K));
    }

    @Test
    void leakyRelu() {
        OpGraph o = new OpGraph(2, 3, 3);
        check(o.head(o.op("LeakyRelu", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.f("alpha", 0.2f)), K));
    }

    @Test
    void elu() {
        OpGraph o = new OpGraph(2, 3, 3);
        check(o.head(o.op("Elu", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)), Attr.f("alpha", 0.7f)),
                K));
    }

    @Test
    void clip() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("Clip", List.of(o.input(), o.scalar("lo", -0.5f), o.scalar("hi", 0.8f)));
        String y2 = o.op("Clip", List.of(o.input(), "", o.scalar("hi2", 0.3f)));
        check(o.head(o.op("Add", y, o.op("Mul", y2, o.param("p", 2, 1, 1))), K));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Log", "Sqrt", "Reciprocal"})
    void positiveDomainUnary(String op) {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op(op, o.op("Mul", o.input(), o.param("p", 1, 0.2, 2, 1, 1)));
        check(o.head(y, K), positive(2, 2, 3, 3));
    }

    @Test
    void powConstantExponent() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("Pow", o.input(), o.scalar("e", 2.5f));
        String z = o.op("Pow", o.op("Mul", o.input(), o.param("p", 2, 1, 1)), o.buffer("e2", 3, 0, 1, 1, 3));
        check(o.head(o.op("Add", y, z), K), positive(2, 2, 3, 3));
    }

    @Test
    void powIntegerExponentNegativeBase() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Pow", o.op("Add", o.input(), o.param("p", 2, 1)), o.scalar("three", 3f));
        check(o.head(y, K));
    }

    // ---------------------------------------------------------------- pooling

    @Test
    void maxPoolNonOverlapping() {
        OpGraph o = new OpGraph(2, 6, 6);
        String y = o.op("MaxPool", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2));
        GradientChecker.Result r = check(o.head(y, K));
        assertTrue(r.graph().model().getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOpType().equals("MaxUnpool")), "the non-overlapping path uses MaxUnpool");
    }

    @Test
    void maxPoolOverlappingPadded() {
        OpGraph o = new OpGraph(2, 7, 7);
        String y = o.op("MaxPool", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.ints("kernel_shape", 3, 3), Attr.ints("strides", 2, 2), Attr.ints("pads", 1, 1, 1, 1));
        GradientChecker.Result r = check(o.head(y, K));
        assertTrue(r.graph().model().getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOpType().equals("ScatterElements")), "the overlapping path scatters");
    }

    @Test
    void maxPoolAfterRelu() {
        // Windows where ReLU produced several zeros (ties): the gradient there is zero either way.
        OpGraph o = new OpGraph(2, 6, 6);
        String y = o.op("MaxPool", o.op("Relu", o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3, 3)),
                Attr.ints("pads", 1, 1, 1, 1))), Attr.ints("kernel_shape", 3, 3), Attr.ints("strides", 2, 2));
        check(o.head(y, K));
    }

    @ParameterizedTest(name = "count_include_pad={0}")
    @ValueSource(ints = {0, 1})
    void averagePoolPadded(int includePad) {
        OpGraph o = new OpGraph(2, 7, 7);
        String y = o.op("AveragePool", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.ints("kernel_shape", 3, 3), Attr.ints("strides", 2, 2), Attr.ints("pads", 1, 1, 1, 1),
                Attr.i("count_include_pad", includePad));
        check(o.head(y, K));
    }

    @ParameterizedTest(name = "count_include_pad={0}")
    @ValueSource(ints = {0, 1})
    void averagePoolAsymmetricPads(int includePad) {
        OpGraph o = new OpGraph(2, 6, 5);
        String y = o.op("AveragePool", o.input(), Attr.ints("kernel_shape", 2, 3), Attr.ints("strides", 2, 1),
                Attr.ints("pads", 1, 0, 0, 2), Attr.i("count_include_pad", includePad));
        check(o.head(y, K));
    }

    @Test
    void averagePoolUnpadded() {
        OpGraph o = new OpGraph(2, 6, 6);
        String y = o.op("AveragePool", o.input(), Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2));
        check(o.head(y, K));
    }

    @Test
    void globalAveragePool() {
        OpGraph o = new OpGraph(3, 4, 4);
        String y = o.op("GlobalAveragePool", o.op("Mul", o.input(), o.op("Add", o.input(), o.param("p", 3, 1, 1))));
        check(o.head(y, K));
    }

    // ---------------------------------------------------------------- normalisation

    @Test
    void batchNormalizationInference() {
        OpGraph o = new OpGraph(3, 4, 4);
        String y = o.op("BatchNormalization", List.of(o.input(), o.param("scale", 1, 0.3, 3),
                o.param("bias", 0, 0.3, 3), o.buffer("mean", 0, 0.5, 3), o.buffer("var", 1.5, 0.3, 3)),
                Attr.f("epsilon", 1e-3f));
        check(o.head(o.op("Mul", y, y), K));
    }

    /** The same elementary-op batch normalisation as the families' TRAINING form. */
    @Test
    void batchNormalizationTrainingForm() {
        OpGraph o = new OpGraph(3, 3, 3);
        String x = o.op("Mul", o.input(), o.param("p", 1, 0.3, 3, 1, 1));
        String mean = o.op("ReduceMean", x, Attr.ints("axes", 0, 2, 3), Attr.i("keepdims", 1));
        String centred = o.op("Sub", x, mean);
        String var = o.op("ReduceMean", o.op("Mul", centred, centred), Attr.ints("axes", 0, 2, 3),
                Attr.i("keepdims", 1));
        String invStd = o.op("Reciprocal", o.op("Sqrt", o.op("Add", var, o.scalar("eps", 1e-5f))));
        String scaled = o.op("Mul", o.op("Mul", centred, invStd),
                o.op("Reshape", o.param("scale", 1, 0.3, 3), o.longs("cs", 3, 1, 1)));
        String y = o.op("Add", scaled, o.op("Reshape", o.param("bias", 0, 0.3, 3), o.longs("cs", 3, 1, 1)));
        check(o.head(o.op("Mul", y, y), K));
    }

    @Test
    void softmax() {
        OpGraph o = new OpGraph(6);
        String h = o.op("Gemm", List.of(o.input(), o.param("w", 6, 5)));
        check(o.head(o.op("Softmax", h, Attr.i("axis", 1)), K));
    }

    @Test
    void softmaxInnerAxis() {
        OpGraph o = new OpGraph(2, 3, 4);
        check(o.head(o.op("Softmax", o.op("Mul", o.input(), o.param("p", 3, 1))), K));
    }

    @Test
    void logSoftmax() {
        OpGraph o = new OpGraph(6);
        String h = o.op("Gemm", List.of(o.input(), o.param("w", 6, 5)));
        check(o.head(o.op("LogSoftmax", h, Attr.i("axis", 1)), K));
    }

    @Test
    void reduceMean() {
        OpGraph o = new OpGraph(2, 3, 4);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1, 1));
        String a = o.op("ReduceMean", x, Attr.ints("axes", 2, 3), Attr.i("keepdims", 0));
        String b = o.op("Flatten", o.op("ReduceMean", x, Attr.ints("axes", 1), Attr.i("keepdims", 1)));
        String c = o.op("ReduceMean", o.op("Mul", x, x), Attr.ints("axes", -1), Attr.i("keepdims", 0));
        check(o.head(o.op("Concat", List.of(a, b, o.op("Flatten", c)), Attr.i("axis", 1)), K));
    }

    @Test
    void reduceSum() {
        OpGraph o = new OpGraph(2, 3, 4);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1, 1));
        String a = o.op("ReduceSum", x, o.longs("ax", 1, 3), Attr.i("keepdims", 0));
        String b = o.op("Flatten", o.op("ReduceSum", x, o.longs("ax", 2), Attr.i("keepdims", 1)));
        check(o.head(o.op("Concat", List.of(a, b), Attr.i("axis", 1)), K));
    }

    // ---------------------------------------------------------------- data movement

    @Test
    void pad() {
        OpGraph o = new OpGraph(2, 4, 4);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1, 1));
        String y = o.op("Pad", List.of(x, o.longs("pads", 0, 0, 1, 2, 0, 0, 2, 0), o.scalar("value", 0.3f)));
        check(o.head(o.op("Mul", y, o.param("q", 2, 7, 6)), K));
    }

    @Test
    void flattenAndReshape() {
        OpGraph o = new OpGraph(2, 3, 4);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1, 1));
        String a = o.op("Flatten", x);
        String b = o.op("Reshape", a, o.longs("shape", 0, 4, -1));
        String c = o.op("Mul", b, o.param("q", 4, 1));
        check(o.head(o.op("Reshape", c, o.longs("shape2", 0, -1)), K));
    }

    @Test
    void squeezeUnsqueeze() {
        OpGraph o = new OpGraph(1, 3, 4);
        String x = o.op("Squeeze", o.op("Mul", o.input(), o.param("p", 1, 1, 4)), o.longs("ax", 1));
        check(o.head(o.op("Unsqueeze", x, o.longs("ax2", 2)), K));
    }

    @Test
    void transpose() {
        OpGraph o = new OpGraph(2, 3, 4);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1, 1));
        String y = o.op("Transpose", x, Attr.ints("perm", 0, 3, 1, 2));
        check(o.head(o.op("Mul", y, o.param("q", 4, 2, 1)), K));
    }

    @Test
    void concatChannelAxis() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("Concat", List.of(o.input(), o.op("Mul", o.input(), o.param("p", 2, 1, 1)),
                o.op("Tanh", o.input())), Attr.i("axis", 1));
        check(o.head(y, K));
    }

    @Test
    void concatBatchAxis() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Concat", List.of(o.input(), o.op("Mul", o.input(), o.param("p", 2, 1))),
                Attr.i("axis", 0));
        GradientChecker.Result r = check(o.head(y, K));
        assertEquals(4, r.outputs().get("logits").dim(0), "logits rows are 2N");
    }

    @Test
    void identityDropoutConstant() {
        OpGraph o = new OpGraph(2, 3);
        String c = o.g.fresh("const");
        o.g.addNode("Constant", List.of(), List.of(c), Attr.tensor("value",
                Tensors.floats("v", new long[] {2, 1}, new float[] {0.5f, -1.5f})));
        String x = o.op("Identity", o.op("Mul", o.input(), c));
        String y = o.op("Dropout", o.op("Mul", x, o.param("p", 2, 1)));
        check(o.head(y, K));
    }

    @Test
    void expand() {
        OpGraph o = new OpGraph(1, 1, 4);
        String x = o.op("Expand", o.input(), o.longs("shape", 1, 3, 2, 1));
        String p = o.op("Expand", o.param("p", 3, 1, 1), o.longs("shape2", 3, 2, 4));
        check(o.head(o.op("Mul", x, p), K));
    }

    @Test
    void sharedValueWithSeveralConsumers() {
        OpGraph o = new OpGraph(2, 3);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1));
        String y = o.op("Add", o.op("Tanh", x), o.op("Mul", x, x));
        check(o.head(o.op("Sub", y, x), K));
    }

    // ---------------------------------------------------------------- geometry and rank edge cases

    @ParameterizedTest
    @CsvSource({"SAME_UPPER, 7", "SAME_LOWER, 8", "VALID, 8"})
    void convAutoPad(String autoPad, long size) {
        OpGraph o = new OpGraph(2, size, size);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3, 3), o.param("b", 3)),
                Attr.ints("strides", 2, 2), Attr.s("auto_pad", autoPad));
        check(o.head(y, K));
    }

    @Test
    void conv3dGrouped() {
        OpGraph o = new OpGraph(2, 4, 4, 3);
        String y = o.op("Conv", List.of(o.input(), o.param("w", 4, 1, 2, 2, 2), o.param("b", 4)),
                Attr.ints("strides", 2, 2, 1), Attr.i("group", 2), Attr.ints("pads", 0, 1, 0, 1, 0, 1));
        check(o.head(y, K));
    }

    @Test
    void maxPoolCeilMode() {
        OpGraph o = new OpGraph(2, 7, 7);
        String y = o.op("MaxPool", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2), Attr.i("ceil_mode", 1));
        check(o.head(y, K));
    }

    @Test
    void maxPoolDilated() {
        OpGraph o = new OpGraph(2, 6, 6);
        String y = o.op("MaxPool", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.ints("kernel_shape", 2, 2), Attr.ints("dilations", 2, 2), Attr.ints("strides", 2, 2));
        check(o.head(y, K));
    }

    @Test
    void maxPoolStrideLargerThanKernel() {
        OpGraph o = new OpGraph(2, 7, 7);
        String y = o.op("MaxPool", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1, 1)),
                Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 3, 3));
        check(o.head(y, K));
    }

    @Test
    void pooling1d() {
        OpGraph o = new OpGraph(2, 9);
        String x = o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1));
        String a = o.op("MaxPool", x, Attr.ints("kernel_shape", 3), Attr.ints("strides", 2), Attr.ints("pads", 1, 1));
        String b = o.op("AveragePool", x, Attr.ints("kernel_shape", 3), Attr.ints("strides", 2),
                Attr.ints("pads", 1, 1));
        String c = o.op("GlobalAveragePool", o.op("Mul", x, x));
        check(o.head(o.op("Concat", List.of(a, b, c), Attr.i("axis", 2)), K));
    }

    @Test
    void batchNormalizationRank2And3() {
        OpGraph o = new OpGraph(3, 4);
        String y3 = o.op("BatchNormalization", List.of(o.input(), o.param("s3", 1, 0.3, 3),
                o.param("b3", 0, 0.3, 3), o.buffer("m3", 0, 0.5, 3), o.buffer("v3", 1.5, 0.3, 3)));
        String flat = o.op("Flatten", o.op("Mul", y3, y3));
        String y2 = o.op("BatchNormalization", List.of(flat, o.param("s2", 1, 0.3, 12),
                o.param("b2", 0, 0.3, 12), o.buffer("m2", 0, 0.5, 12), o.buffer("v2", 1.5, 0.3, 12)));
        check(o.head(o.op("Mul", y2, y2), K));
    }

    @Test
    void expandToHigherRank() {
        OpGraph o = new OpGraph(2, 3, 4);
        String p = o.op("Expand", o.param("p", 4), o.longs("shape", 2, 3, 1));
        check(o.head(o.op("Mul", o.input(), p), K));
    }

    @Test
    void reduceOverEverything() {
        OpGraph o = new OpGraph(2, 3);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1));
        String m = o.op("ReduceMean", o.op("Mul", x, x), Attr.i("keepdims", 0));
        String s = o.op("ReduceSum", x, Attr.i("keepdims", 0));
        check(o.head(o.op("Add", o.op("Mul", x, m), s), K));
    }

    @Test
    void logSoftmaxAndSoftmaxOnInnerAxis() {
        OpGraph o = new OpGraph(3, 4);
        String x = o.op("Mul", o.input(), o.param("p", 3, 1));
        String a = o.op("LogSoftmax", x, Attr.i("axis", 1));
        String b = o.op("Softmax", x, Attr.i("axis", -2));
        check(o.head(o.op("Concat", List.of(a, b), Attr.i("axis", -1)), K));
    }

    @Test
    void defaultTransposeAndGemmWithParameterA() {
        OpGraph o = new OpGraph(6);
        String xt = o.op("Transpose", o.input());
        String y = o.op("Gemm", List.of(o.param("w", 5, 6), xt, o.param("c", 5, 1)), Attr.f("alpha", 0.5f));
        check(o.head(o.op("Transpose", y), K));
    }

    @Test
    void dropoutWithRatioAndTrainingModeFalse() {
        OpGraph o = new OpGraph(2, 3);
        String training = o.g.fresh("training");
        o.g.addNode("Constant", List.of(), List.of(training), Attr.tensor("value",
                org.widerobust.descriptors.reference.DTensor.of(new long[0], new double[] {0}).cast(
                        org.widerobust.descriptors.reference.DTensor.DType.BOOL).toProto("t")));
        String y = o.op("Dropout", List.of(o.op("Mul", o.input(), o.param("p", 2, 1)), o.scalar("ratio", 0.5f),
                training));
        check(o.head(y, K));
    }

    @Test
    void reshapeAgainstRuntimeShape() {
        OpGraph o = new OpGraph(2, 3);
        String x = o.op("Mul", o.input(), o.param("p", 2, 1));
        String flat = o.op("Flatten", o.input());
        String back = o.op("Reshape", o.op("Tanh", flat), o.op("Shape", x));
        check(o.head(o.op("Add", back, x), K));
    }

    /** Bounds that are parameters get the gradient where they clip (they used to get silent zeros). */
    @Test
    void clipWithParameterBounds() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("Clip", List.of(o.input(), o.param("lo", -0.4, 0, new long[0]),
                o.param("hi", 0.6, 0, new long[0])));
        GradientChecker.Result r = check(o.head(y, K));
        assertTrue(r.maxAbsGradient("lo") > 1e-3 && r.maxAbsGradient("hi") > 1e-3);
    }

    /** A padding value that is a parameter gets the sum of the gradient over the padded border. */
    @Test
    void padWithParameterValue() {
        OpGraph o = new OpGraph(2, 3, 3);
        String y = o.op("Pad", List.of(o.input(), o.longs("pads", 0, 0, 1, 0, 0, 0, 1, 2),
                o.param("value", 0.2, 0, new long[0])));
        GradientChecker.Result r = check(o.head(o.op("Mul", y, y), K));
        assertTrue(r.maxAbsGradient("value") > 1e-3);
    }

    /** A rule that gives no gradient to an input needing one is an error, not silent zeros. */
    @Test
    void inputWithoutGradientFromItsRuleIsAnError() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Dropout", List.of(o.input(), o.param("ratio", 0.5, 0, new long[0])));
        Network net = o.head(y, K);
        GraphException e = assertThrows(GraphException.class, () -> Differentiator.differentiate(net,
                new GradientRequest(new CrossEntropyLoss(), Reduction.SUM, true, List.of("ratio"), false,
                        List.of())));
        assertTrue(e.getMessage().contains("Dropout") && e.getMessage().contains("ratio"), e.getMessage());
    }

    // ---------------------------------------------------------------- request variants

    @Test
    void meanReductionAndParametersAsInputs() {
        OpGraph o = new OpGraph(2, 5, 5);
        String y = o.op("Relu", o.op("Conv", List.of(o.input(), o.param("w", 3, 2, 3, 3), o.param("b", 3)),
                Attr.ints("pads", 1, 1, 1, 1)));
        Network net = o.head(y, K);
        GradientChecker.Result r = checkAll(checker(net).reduction(Reduction.MEAN).parametersAsInputs(true)
                .batch(3));
        assertEquals(net.parameters(), r.graph().parameterInputs());
    }

    @Test
    void subsetOfParameters() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Mul", o.op("Mul", o.input(), o.param("p", 2, 1)), o.param("q", 2, 1));
        GradientChecker.Result r = checker(o.head(y, K)).parameters("q").check();
        assertEquals(List.of("q"), List.copyOf(r.graph().parameterGradients().keySet()));
    }

    // ---------------------------------------------------------------- unsupported ops

    @Test
    void opWithoutRuleIsNamed() {
        OpGraph o = new OpGraph(3, 4);
        String y = o.op("Cos", o.input());
        Network net = o.head(y, K);
        String node = net.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cos"))
                .findFirst().orElseThrow().getName();
        GraphException e = assertThrows(GraphException.class, () -> Differentiator.differentiate(net,
                GradientRequest.inputOnly(new CrossEntropyLoss(), false)));
        assertTrue(e.getMessage().contains("Cos"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + node + "'"), e.getMessage());
    }

    @Test
    void elementwiseOpWithoutRuleIsNamed() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Softsign", o.op("Mul", o.input(), o.param("p", 2, 1)));
        Network net = o.head(y, K);
        String node = net.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Softsign"))
                .findFirst().orElseThrow().getName();
        // Only the parameter below the op is requested: the input gradient is not.
        GraphException e = assertThrows(GraphException.class, () -> Differentiator.differentiate(net,
                new GradientRequest(new CrossEntropyLoss(), Reduction.SUM, false, List.of("p"), false, List.of())));
        assertTrue(e.getMessage().contains("Softsign") && e.getMessage().contains("'" + node + "'"),
                e.getMessage());
    }

    @Test
    void sinIsRejectedNamingOpAndNode() {
        OpGraph o = new OpGraph(2, 3);
        String y = o.op("Sin", o.input());
        String node = o.g.proto().getNodeList().stream().filter(n -> n.getOpType().equals("Sin"))
                .findFirst().orElseThrow().getName();
        o.g.addNode("Identity", List.of(y), List.of("logits"));
        o.g.addOutput("logits", DataType.FLOAT, -1, 2, 3);
        Network net = GradientChecker.network("sin", o.g.build(), OpGraph.INPUT, "logits", new long[] {2, 3}, 3,
                List.of());
        GraphException e = assertThrows(GraphException.class, () -> Differentiator.differentiate(net,
                GradientRequest.inputOnly(new CrossEntropyLoss(), false)));
        assertTrue(e.getMessage().contains("Sin") && e.getMessage().contains("'" + node + "'"), e.getMessage());
    }

    @Test
    void opWithoutRuleOffTheDifferentiatedPathIsFine() {
        OpGraph o = new OpGraph(2, 3);
        String frozen = o.buffer("frozen", 0, 1, 2, 5);
        String picked = o.op("Gather", frozen, o.longs("idx", 0, 2, 4), Attr.i("axis", 1));
        check(o.head(o.op("Mul", o.input(), picked), K));
    }
}
