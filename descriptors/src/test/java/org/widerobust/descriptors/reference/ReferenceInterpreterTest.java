package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.widerobust.descriptors.reference.DTensor.DType;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widerobust.descriptors.reference.TestGraphs.f;
import static org.widerobust.descriptors.reference.TestGraphs.i;
import static org.widerobust.descriptors.reference.TestGraphs.ints;
import static org.widerobust.descriptors.reference.TestGraphs.longs;
import static org.widerobust.descriptors.reference.TestGraphs.range;
import static org.widerobust.descriptors.reference.TestGraphs.s;
import static org.widerobust.descriptors.reference.TestGraphs.shape;
import static org.widerobust.descriptors.reference.TestGraphs.values;

/** Hand-computed cases for individual ops and for the interpreter's plumbing. */
class ReferenceInterpreterTest {

    private static final double EPS = 1e-12;

    private static DTensor run(TestGraphs g, Object... inputs) {
        Map<String, DTensor> out = g.interpreter().run(values(inputs));
        return out.values().iterator().next();
    }

    private static void assertTensor(long[] shape, double[] expected, DTensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape of " + actual);
        assertArrayEquals(expected, actual.data(), EPS, "data of " + actual);
    }

    @Test
    void convWithPlusKernelAndPadding() {
        TestGraphs g = new TestGraphs(17).input("x").output("y")
                .init("w", DTensor.of(shape(1, 1, 3, 3), new double[]{0, 1, 0, 1, 1, 1, 0, 1, 0}))
                .init("b", DTensor.of(shape(1), new double[]{0.5}))
                .node("Conv", "x,w,b", "y", ints("pads", 1, 1, 1, 1));
        DTensor y = run(g, "x", range(1, 1, 3, 3));
        assertTensor(shape(1, 1, 3, 3), new double[]{7.5, 11.5, 11.5, 17.5, 25.5, 23.5, 19.5, 29.5, 23.5}, y);
    }

    @Test
    void convIsCrossCorrelationNotFlipped() {
        TestGraphs g = new TestGraphs(17).input("x", "w").output("y").node("Conv", "x,w", "y");
        DTensor y = run(g, "x", range(1, 1, 3, 3), "w", range(1, 1, 2, 2));
        assertTensor(shape(1, 1, 2, 2), new double[]{37, 47, 67, 77}, y);
    }

    @Test
    void convStridedDilatedOneD() {
        TestGraphs g = new TestGraphs(17).input("x", "w").output("y")
                .node("Conv", "x,w", "y", ints("strides", 2), ints("dilations", 2), ints("pads", 1, 0));
        DTensor y = run(g, "x", range(1, 1, 6), "w", DTensor.of(shape(1, 1, 2), new double[]{1, 10}));
        // padded input [0,1,2,3,4,5,6]; windows start at 0,2,4: (p0 + 10 p2), (p2 + 10 p4), (p4 + 10 p6)
        assertTensor(shape(1, 1, 3), new double[]{20, 2 + 40, 4 + 60}, y);
    }

    @Test
    void convTransposeHandComputed() {
        TestGraphs g = new TestGraphs(17).input("x", "w").output("y")
                .node("ConvTranspose", "x,w", "y", ints("strides", 2));
        DTensor y = run(g, "x", DTensor.of(shape(1, 1, 2), new double[]{1, 2}),
                "w", DTensor.of(shape(1, 2, 3), new double[]{1, 2, 3, 10, 20, 30}));
        // out length 2*(2-1)+3 = 5; channel 0: [1,2,3+2,4,6]; channel 1: 10x
        assertTensor(shape(1, 2, 5), new double[]{1, 2, 5, 4, 6, 10, 20, 50, 40, 60}, y);
    }

    @Test
    void convTransposeOutputShapeAttribute() {
        TestGraphs g = new TestGraphs(17).input("x", "w").output("y")
                .node("ConvTranspose", "x,w", "y", ints("strides", 2), ints("output_shape", 4));
        DTensor y = run(g, "x", DTensor.of(shape(1, 1, 2), new double[]{1, 2}),
                "w", DTensor.of(shape(1, 1, 3), new double[]{1, 2, 3}));
        // full output [1,2,5,4,6], total padding 1 goes to the start: [2,5,4,6]
        assertTensor(shape(1, 1, 4), new double[]{2, 5, 4, 6}, y);
    }

    @Test
    void maxPoolValuesAndIndicesAcrossWholeTensor() {
        double[] plane = {1, 5, 2, 0, 3, 4, 8, 7, 9, 1, 0, 2, 6, 3, 4, 11};
        double[] x = new double[32];
        for (int k = 0; k < 16; k++) {
            x[k] = plane[k];
            x[16 + k] = -plane[k];
        }
        TestGraphs g = new TestGraphs(17).input("x").output("y", "i")
                .node("MaxPool", "x", "y,i", ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        Map<String, DTensor> out = g.interpreter().run(values("x", DTensor.of(shape(1, 2, 4, 4), x)));
        assertTensor(shape(1, 2, 2, 2), new double[]{5, 8, 9, 11, -1, -0.0, -1, -0.0}, out.get("y"));
        assertTensor(shape(1, 2, 2, 2), new double[]{1, 6, 8, 15, 16, 16 + 3, 16 + 9, 16 + 10}, out.get("i"));
        assertEquals(DType.INT64, out.get("i").type());
    }

    @Test
    void maxPoolPaddedOverlapping() {
        TestGraphs g = new TestGraphs(17).input("x").output("y", "i")
                .node("MaxPool", "x", "y,i", ints("kernel_shape", 3), ints("strides", 2), ints("pads", 1, 1));
        Map<String, DTensor> out = g.interpreter().run(values("x", DTensor.of(shape(1, 1, 5), new double[]{-3, -1, -2, 4, -5})));
        assertTensor(shape(1, 1, 3), new double[]{-1, 4, 4}, out.get("y"));
        assertTensor(shape(1, 1, 3), new double[]{1, 3, 3}, out.get("i"));
    }

    @Test
    void averagePoolCountIncludePad() {
        for (int include = 0; include <= 1; include++) {
            TestGraphs g = new TestGraphs(17).input("x").output("y")
                    .node("AveragePool", "x", "y", ints("kernel_shape", 2, 2), ints("pads", 1, 1, 0, 0),
                            i("count_include_pad", include));
            DTensor y = run(g, "x", range(1, 1, 2, 2));
            double[] expected = include == 1
                    ? new double[]{1 / 4.0, 3 / 4.0, 4 / 4.0, 10 / 4.0}
                    : new double[]{1, 1.5, 2, 2.5};
            assertTensor(shape(1, 1, 2, 2), expected, y);
        }
    }

    @Test
    void globalAveragePool() {
        TestGraphs g = new TestGraphs(17).input("x").output("y").node("GlobalAveragePool", "x", "y");
        assertTensor(shape(1, 2, 1, 1), new double[]{2.5, 6.5}, run(g, "x", range(1, 2, 2, 2)));
    }

    @Test
    void gemmWithTransposesAlphaBetaAndBroadcastC() {
        TestGraphs g = new TestGraphs(17).input("a", "b", "c").output("y")
                .node("Gemm", "a,b,c", "y", i("transA", 1), i("transB", 1), f("alpha", 2), f("beta", 0.5));
        DTensor y = run(g, "a", DTensor.of(shape(3, 2), new double[]{1, 2, 3, 4, 5, 6}),
                "b", DTensor.of(shape(2, 3), new double[]{1, 0, 1, 0, 1, 0}),
                "c", DTensor.of(shape(2), new double[]{10, 20}));
        assertTensor(shape(2, 2), new double[]{17, 16, 21, 18}, y);
    }

    @Test
    void matMulBroadcastsBatchDimsAndVectors() {
        TestGraphs g = new TestGraphs(17).input("a", "b").output("y").node("MatMul", "a,b", "y");
        DTensor y = run(g, "a", range(2, 1, 2, 3), "b", range(3, 3, 1));
        assertArrayEquals(shape(2, 3, 2, 1), y.shape());
        assertEquals(1 * 1 + 2 * 2 + 3 * 3, y.data()[0], EPS);
        assertEquals(4 * 1 + 5 * 2 + 6 * 3, y.data()[1], EPS);
        assertEquals(1 * 4 + 2 * 5 + 3 * 6, y.data()[2], EPS);
        assertEquals(10 * 7 + 11 * 8 + 12 * 9, y.data()[11], EPS);
        DTensor v = run(g, "a", range(3), "b", range(3, 2));
        assertTensor(shape(2), new double[]{1 + 6 + 15, 2 + 8 + 18}, v);
    }

    @Test
    void broadcastingAddAndComparison() {
        TestGraphs g = new TestGraphs(17).input("a", "b").output("y", "z")
                .node("Add", "a,b", "y").node("Greater", "a,b", "z");
        Map<String, DTensor> out = g.interpreter().run(values("a", range(2, 3),
                "b", DTensor.of(shape(3), new double[]{10, 2, -1})));
        assertTensor(shape(2, 3), new double[]{11, 4, 2, 14, 7, 5}, out.get("y"));
        assertTensor(shape(2, 3), new double[]{0, 0, 1, 0, 1, 1}, out.get("z"));
        assertEquals(DType.BOOL, out.get("z").type());
        DTensor outer = run(new TestGraphs(17).input("a", "b").output("y").node("Mul", "a,b", "y"),
                "a", range(2, 1), "b", range(1, 3));
        assertTensor(shape(2, 3), new double[]{1, 2, 3, 2, 4, 6}, outer);
    }

    @Test
    void softmaxRowsSumToOneAndLogSoftmaxMatches() {
        java.util.Random rnd = new java.util.Random(1);
        DTensor x = TestGraphs.random(rnd, 2, 3, 4);
        DTensor sm = run(new TestGraphs(13).input("x").output("y").node("Softmax", "x", "y", i("axis", 1)), "x", x);
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 4; c++) {
                double sum = 0;
                for (int b = 0; b < 3; b++) {
                    sum += sm.data()[(a * 3 + b) * 4 + c];
                }
                assertEquals(1, sum, 1e-12);
            }
        }
        DTensor lsm = run(new TestGraphs(13).input("x").output("y").node("LogSoftmax", "x", "y", i("axis", 1)), "x", x);
        for (int k = 0; k < x.size(); k++) {
            assertEquals(Math.log(sm.data()[k]), lsm.data()[k], 1e-12);
        }
        DTensor coerced = run(new TestGraphs(11).input("x").output("y").node("Softmax", "x", "y", i("axis", 1)), "x", x);
        for (int a = 0; a < 2; a++) {
            double sum = 0;
            for (int k = 0; k < 12; k++) {
                sum += coerced.data()[a * 12 + k];
            }
            assertEquals(1, sum, 1e-12);
        }
        DTensor big = run(new TestGraphs(17).input("x").output("y").node("Softmax", "x", "y"),
                "x", DTensor.of(shape(2), new double[]{1000, 1000}));
        assertTensor(shape(2), new double[]{0.5, 0.5}, big);
    }

    @Test
    void reductions() {
        DTensor x = range(2, 3);
        assertTensor(shape(2, 1), new double[]{6, 15}, run(new TestGraphs(13).input("x", "a").output("y")
                .node("ReduceSum", "x,a", "y"), "x", x, "a", longs(-1)));
        assertTensor(shape(3), new double[]{2.5, 3.5, 4.5}, run(new TestGraphs(13).input("x").output("y")
                .node("ReduceMean", "x", "y", ints("axes", 0), i("keepdims", 0)), "x", x));
        assertTensor(shape(1, 1), new double[]{6}, run(new TestGraphs(13).input("x").output("y")
                .node("ReduceMax", "x", "y"), "x", x));
        assertTensor(shape(2, 1), new double[]{14, 77}, run(new TestGraphs(13).input("x").output("y")
                .node("ReduceSumSquare", "x", "y", ints("axes", 1)), "x", x));
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertTensor(shape(2), new double[]{lse, lse + 3}, run(new TestGraphs(13).input("x").output("y")
                .node("ReduceLogSumExp", "x", "y", ints("axes", 1), i("keepdims", 0)), "x", x));
        assertTensor(shape(2, 3), x.data(), run(new TestGraphs(13).input("x").output("y")
                .node("ReduceSum", "x", "y", i("noop_with_empty_axes", 1)), "x", x));
        DTensor arg = run(new TestGraphs(13).input("x").output("y").node("ArgMax", "x", "y", i("axis", 1)),
                "x", DTensor.of(shape(2, 3), new double[]{1, 3, 3, 5, 0, 2}));
        assertTensor(shape(2, 1), new double[]{1, 0}, arg);
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        TestGraphs g = new TestGraphs(17).input("x", "k").output("v", "i").node("TopK", "x,k", "v,i");
        Map<String, DTensor> out = g.interpreter().run(values("x", DTensor.of(shape(1, 5), new double[]{2, 7, 2, 7, 1}),
                "k", longs(3)));
        assertTensor(shape(1, 3), new double[]{7, 7, 2}, out.get("v"));
        assertTensor(shape(1, 3), new double[]{1, 3, 0}, out.get("i"));
        TestGraphs small = new TestGraphs(17).input("x", "k").output("v", "i").node("TopK", "x,k", "v,i",
                i("largest", 0), i("axis", 0));
        Map<String, DTensor> s2 = small.interpreter().run(values("x", DTensor.of(shape(4), new double[]{3, 1, 2, 1}),
                "k", longs(2)));
        assertTensor(shape(2), new double[]{1, 3}, s2.get("i"));
    }

    @Test
    void sliceWithNegativeAndClampedIndices() {
        TestGraphs g = new TestGraphs(13).input("x", "s", "e", "a", "t").output("y").node("Slice", "x,s,e,a,t", "y");
        DTensor y = run(g, "x", range(3, 4), "s", longs(-1, 100), "e", longs(Long.MIN_VALUE, -100),
                "a", longs(0, 1), "t", longs(-2, -1));
        // rows 2, 0 (step -2 from last); columns reversed 3..0
        assertTensor(shape(2, 4), new double[]{12, 11, 10, 9, 4, 3, 2, 1}, y);
        DTensor z = run(new TestGraphs(13).input("x", "s", "e").output("y").node("Slice", "x,s,e", "y"),
                "x", range(3, 4), "s", longs(1, -3), "e", longs(Long.MAX_VALUE, 3));
        assertTensor(shape(2, 2), new double[]{6, 7, 10, 11}, z);
    }

    @Test
    void reshapeTransposeFlattenSqueezeUnsqueeze() {
        DTensor r = run(new TestGraphs(13).input("x", "s").output("y").node("Reshape", "x,s", "y"),
                "x", range(2, 3, 4), "s", longs(0, -1));
        assertArrayEquals(shape(2, 12), r.shape());
        DTensor t = run(new TestGraphs(13).input("x").output("y").node("Transpose", "x", "y", ints("perm", 1, 2, 0)),
                "x", range(2, 3, 4));
        assertArrayEquals(shape(3, 4, 2), t.shape());
        assertEquals(1 + 12, t.data()[1], EPS);
        assertEquals(1 + 4 + 1, t.data()[2 * 4 * 1 + 2 * 1 + 0], EPS);
        DTensor rev = run(new TestGraphs(13).input("x").output("y").node("Transpose", "x", "y"), "x", range(2, 3));
        assertTensor(shape(3, 2), new double[]{1, 4, 2, 5, 3, 6}, rev);
        assertArrayEquals(shape(2, 12), run(new TestGraphs(13).input("x").output("y").node("Flatten", "x", "y"),
                "x", range(2, 3, 4)).shape());
        assertArrayEquals(shape(1, 2, 1, 3), run(new TestGraphs(13).input("x", "a").output("y")
                .node("Unsqueeze", "x,a", "y"), "x", range(2, 3), "a", longs(0, -2)).shape());
        assertArrayEquals(shape(1, 2, 1, 3), run(new TestGraphs(11).input("x").output("y")
                .node("Unsqueeze", "x", "y", ints("axes", 0, 2)), "x", range(2, 3)).shape());
        assertArrayEquals(shape(2, 3), run(new TestGraphs(13).input("x").output("y").node("Squeeze", "x", "y"),
                "x", range(1, 2, 1, 3)).shape());
    }

    @Test
    void concatSplitTileExpandPad() {
        DTensor c = run(new TestGraphs(13).input("a", "b").output("y").node("Concat", "a,b", "y", i("axis", 1)),
                "a", range(2, 1), "b", range(2, 2));
        assertTensor(shape(2, 3), new double[]{1, 1, 2, 2, 3, 4}, c);
        Map<String, DTensor> sp = new TestGraphs(13).input("x", "s").output("p", "q")
                .node("Split", "x,s", "p,q", i("axis", 1)).interpreter()
                .run(values("x", range(2, 3), "s", longs(1, 2)));
        assertTensor(shape(2, 1), new double[]{1, 4}, sp.get("p"));
        assertTensor(shape(2, 2), new double[]{2, 3, 5, 6}, sp.get("q"));
        Map<String, DTensor> eq = new TestGraphs(11).input("x").output("p", "q")
                .node("Split", "x", "p,q").interpreter().run(values("x", range(4)));
        assertTensor(shape(2), new double[]{3, 4}, eq.get("q"));
        assertTensor(shape(2, 4), new double[]{1, 2, 1, 2, 3, 4, 3, 4}, run(new TestGraphs(13).input("x", "r")
                .output("y").node("Tile", "x,r", "y"), "x", range(2, 2), "r", longs(1, 2)));
        assertTensor(shape(2, 3), new double[]{1, 1, 1, 2, 2, 2}, run(new TestGraphs(13).input("x", "s")
                .output("y").node("Expand", "x,s", "y"), "x", range(2, 1), "s", longs(1, 3)));
        TestGraphs reflect = new TestGraphs(13).input("x", "p").output("y").node("Pad", "x,p", "y", s("mode", "reflect"));
        assertTensor(shape(1, 7), new double[]{3, 2, 1, 2, 3, 2, 1}, run(reflect, "x", range(1, 3), "p", longs(0, 2, 0, 2)));
        TestGraphs edge = new TestGraphs(13).input("x", "p").output("y").node("Pad", "x,p", "y", s("mode", "edge"));
        assertTensor(shape(1, 5), new double[]{1, 1, 2, 3, 3}, run(edge, "x", range(1, 3), "p", longs(0, 1, 0, 1)));
        TestGraphs constant = new TestGraphs(13).input("x", "p", "v").output("y").node("Pad", "x,p,v", "y");
        assertTensor(shape(2, 3), new double[]{9, 9, 9, 1, 2, 9}, run(constant, "x", range(1, 2), "p", longs(1, 0, 0, 1),
                "v", DTensor.scalar(9)));
    }

    @Test
    void indexOps() {
        assertTensor(shape(2, 2), new double[]{3, 1, 6, 4}, run(new TestGraphs(13).input("x", "i").output("y")
                .node("Gather", "x,i", "y", i("axis", 1)), "x", range(2, 3), "i", longs(-1, 0)));
        assertTensor(shape(2, 1), new double[]{2, 6}, run(new TestGraphs(13).input("x", "i").output("y")
                .node("GatherElements", "x,i", "y", i("axis", 1)), "x", range(2, 3),
                "i", DTensor.ofLongs(shape(2, 1), new long[]{1, 2})));
        assertTensor(shape(2, 3), new double[]{1, 12, 3, 4, 5, 26}, run(new TestGraphs(13).input("x", "i", "u").output("y")
                .node("ScatterElements", "x,i,u", "y", i("axis", 1), s("reduction", "add")), "x", range(2, 3),
                "i", DTensor.ofLongs(shape(2, 2), new long[]{1, 1, 2, 2}), "u", DTensor.of(shape(2, 2), new double[]{4, 6, 10, 10})));
        DTensor oh = run(new TestGraphs(13).input("i", "d", "v").output("y").node("OneHot", "i,d,v", "y"),
                "i", longs(2, -1, 0), "d", longs(3), "v", DTensor.of(shape(2), new double[]{0, 5}));
        assertTensor(shape(3, 3), new double[]{0, 0, 5, 0, 0, 5, 5, 0, 0}, oh);
        DTensor w = run(new TestGraphs(13).input("c", "a", "b").output("y").node("Where", "c,a,b", "y"),
                "c", new DTensor(DType.BOOL, shape(3), new double[]{1, 0, 1}), "a", range(3), "b", DTensor.scalar(-1));
        assertTensor(shape(3), new double[]{1, -1, 3}, w);
    }

    @Test
    void elementwiseMiscellany() {
        DTensor x = DTensor.of(shape(5), new double[]{-2.7, -0.5, 0, 0.5, 2.7});
        DTensor cast = run(new TestGraphs(13).input("x").output("y")
                .node("Cast", "x", "y", i("to", OnnxMl.TensorProto.DataType.INT64_VALUE)), "x", x);
        assertTensor(shape(5), new double[]{-2, 0, 0, 0, 2}, cast);
        assertEquals(DType.INT64, cast.type());
        assertTensor(shape(5), new double[]{-1, -0.5, 0, 0.5, 1}, run(new TestGraphs(13).input("x", "lo", "hi").output("y")
                .node("Clip", "x,lo,hi", "y"), "x", x, "lo", DTensor.scalar(-1), "hi", DTensor.scalar(1)));
        assertTensor(shape(5), new double[]{-2.7, -0.5, 0, 0.5, 1}, run(new TestGraphs(13).input("x", "hi").output("y")
                .node("Clip", "x,,hi", "y"), "x", x, "hi", DTensor.scalar(1)));
        assertTensor(shape(5), new double[]{-1.35, -0.25, 0, 0.5, 2.7}, run(new TestGraphs(13).input("x").output("y")
                .node("LeakyRelu", "x", "y", f("alpha", 0.5)), "x", x));
        assertTensor(shape(2), new double[]{3, 2}, run(new TestGraphs(13).input("a", "b", "c").output("y")
                .node("Max", "a,b,c", "y"), "a", DTensor.of(shape(2), new double[]{1, 2}), "b", DTensor.scalar(0),
                "c", DTensor.of(shape(2), new double[]{3, -1})));
        DTensor bn = run(new TestGraphs(13).input("x").output("y")
                .init("s", DTensor.of(shape(2), new double[]{2, 1})).init("b", DTensor.of(shape(2), new double[]{1, 0}))
                .init("m", DTensor.of(shape(2), new double[]{1, 2})).init("v", DTensor.of(shape(2), new double[]{4, 1}))
                .node("BatchNormalization", "x,s,b,m,v", "y", f("epsilon", 0)), "x", range(1, 2, 2));
        assertTensor(shape(1, 2, 2), new double[]{1, 2, 1, 2}, bn);
        DTensor cos = run(new TestGraphs(13).input("s").output("y")
                .node("ConstantOfShape", "s", "y", TestGraphs.t("value", DTensor.of(shape(1), new double[]{7}))),
                "s", longs(2, 2));
        assertTensor(shape(2, 2), new double[]{7, 7, 7, 7}, cos);
        DTensor sh = run(new TestGraphs(13).input("x").output("y").node("Shape", "x", "y"), "x", range(2, 3, 4));
        assertTensor(shape(3), new double[]{2, 3, 4}, sh);
    }

    @Test
    void runAllReturnsEveryValueAndInitializersCanBeOverridden() {
        TestGraphs g = new TestGraphs(17).input("x").output("z").init("w", DTensor.scalar(2))
                .node("Mul", "x,w", "y").node("Relu", "y", "z");
        ReferenceInterpreter interp = g.interpreter();
        assertEquals(17, interp.opset());
        Map<String, DTensor> all = interp.runAll(values("x", DTensor.of(shape(2), new double[]{-1, 3})));
        assertTrue(all.keySet().containsAll(java.util.List.of("x", "w", "y", "z")));
        assertTensor(shape(2), new double[]{-2, 6}, all.get("y"));
        Map<String, DTensor> outs = interp.run(values("x", DTensor.of(shape(2), new double[]{-1, 3}), "w", DTensor.scalar(-1)));
        assertEquals(java.util.Set.of("z"), outs.keySet());
        assertTensor(shape(2), new double[]{1, 0}, outs.get("z"));
    }

    @Test
    void unsupportedOpNamesOpAndNode() {
        TestGraphs g = new TestGraphs(17).input("x").output("y").node("Relu", "x", "r").node("Einsum", "r", "y");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> g.interpreter().run(values("x", DTensor.scalar(1))));
        assertTrue(e.getMessage().contains("Einsum"), e.getMessage());
        assertTrue(e.getMessage().contains("Einsum_1"), e.getMessage());
    }

    @Test
    void tensorProtoDecoding() {
        OnnxMl.TensorProto typed = OnnxMl.TensorProto.newBuilder().setName("t").addDims(2)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(1.5f).addFloatData(-2f).build();
        assertTensor(shape(2), new double[]{1.5, -2}, DTensor.fromProto(typed));
        OnnxMl.TensorProto longsProto = OnnxMl.TensorProto.newBuilder().setName("l").addDims(2)
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(-3).addInt64Data(1L << 40).build();
        assertArrayEquals(new long[]{-3, 1L << 40}, DTensor.fromProto(longsProto).toLongs());
        DTensor d = new DTensor(DType.DOUBLE, shape(2, 1), new double[]{Math.PI, -1e-300});
        DTensor back = DTensor.fromProto(d.toProto("d"));
        assertEquals(DType.DOUBLE, back.type());
        assertTensor(shape(2, 1), d.data(), back);
        DTensor fl = DTensor.fromProto(DTensor.of(shape(1), new double[]{0.1}).toProto("f"));
        assertEquals((float) 0.1, fl.data()[0], 0);
        DTensor b = DTensor.fromProto(new DTensor(DType.BOOL, shape(3), new double[]{1, 0, 1}).toProto("b"));
        assertTensor(shape(3), new double[]{1, 0, 1}, b);
        assertEquals(DType.BOOL, b.type());
    }
}
