package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.widerobust.descriptors.reference.TestGraphs.i;
import static org.widerobust.descriptors.reference.TestGraphs.ints;
import static org.widerobust.descriptors.reference.TestGraphs.random;
import static org.widerobust.descriptors.reference.TestGraphs.values;

/**
 * Adjoint identities that catch layout bugs: ConvTranspose is the adjoint of Conv for the same weights and
 * geometry, and MaxUnpool with MaxPool's indices is the adjoint of gathering by those indices.
 */
class AdjointTest {

    /** One Conv geometry: input shape, weight shape, strides, pads (begin..., end...), dilations, group. */
    private record Geometry(long[] x, long[] w, long[] strides, long[] pads, long[] dilations, int group) {
        @Override
        public String toString() {
            return "x" + Arrays.toString(x) + " w" + Arrays.toString(w) + " strides" + Arrays.toString(strides)
                    + " pads" + Arrays.toString(pads) + " dilations" + Arrays.toString(dilations) + " group " + group;
        }
    }

    private static long[] ones(int n) {
        return Window.ones(n);
    }

    private static Geometry plain(long[] x, long[] w) {
        int nd = x.length - 2;
        return new Geometry(x, w, ones(nd), new long[2 * nd], ones(nd), 1);
    }

    private static List<Geometry> geometries() {
        List<Geometry> g = new ArrayList<>();
        g.add(plain(new long[]{2, 3, 5, 6}, new long[]{4, 3, 3, 3}));
        g.add(new Geometry(new long[]{1, 2, 7, 8}, new long[]{3, 2, 3, 3}, new long[]{2, 3}, new long[4], ones(2), 1));
        g.add(new Geometry(new long[]{1, 2, 5, 5}, new long[]{2, 2, 3, 2}, ones(2), new long[]{1, 0, 2, 1}, ones(2), 1));
        g.add(new Geometry(new long[]{1, 1, 9, 7}, new long[]{2, 1, 3, 2}, ones(2), new long[4], new long[]{2, 3}, 1));
        g.add(new Geometry(new long[]{2, 4, 6, 5}, new long[]{6, 2, 2, 3}, ones(2), new long[4], ones(2), 2));
        g.add(new Geometry(new long[]{1, 3, 4, 4}, new long[]{6, 1, 3, 3}, ones(2), new long[]{1, 1, 1, 1}, ones(2), 3));
        g.add(new Geometry(new long[]{2, 4, 9, 8}, new long[]{6, 2, 3, 2}, new long[]{2, 1}, new long[]{1, 0, 1, 1},
                new long[]{1, 2}, 2));
        g.add(new Geometry(new long[]{2, 2, 11}, new long[]{4, 1, 3}, new long[]{3}, new long[]{2, 1}, new long[]{2}, 2));
        return g;
    }

    private static ReferenceInterpreter convModel(String op, Geometry g, long[] outputPadding, boolean bias) {
        List<OnnxMl.AttributeProto> attrs = new ArrayList<>(List.of(ints("strides", g.strides()), ints("pads", g.pads()),
                ints("dilations", g.dilations()), i("group", g.group())));
        if (outputPadding != null) {
            attrs.add(ints("output_padding", outputPadding));
        }
        return new TestGraphs(17).input("x", "w").output("y")
                .node(op, bias ? "x,w,b" : "x,w", "y", attrs.toArray(new OnnxMl.AttributeProto[0])).interpreter();
    }

    @Test
    void convTransposeIsAdjointOfConv() {
        Random rnd = new Random(42);
        for (Geometry g : geometries()) {
            DTensor x = random(rnd, g.x());
            DTensor w = random(rnd, g.w());
            DTensor cx = convModel("Conv", g, null, false).run(values("x", x, "w", w)).get("y");
            long[] cs = cx.shape();
            int nd = g.x().length - 2;
            long[] outputPadding = new long[nd];
            for (int d = 0; d < nd; d++) {
                long k = g.w()[d + 2];
                long full = g.strides()[d] * (cs[d + 2] - 1) + (k - 1) * g.dilations()[d] + 1 - g.pads()[d] - g.pads()[d + nd];
                outputPadding[d] = g.x()[d + 2] - full;
            }
            DTensor y = random(rnd, cs);
            DTensor ty = convModel("ConvTranspose", g, outputPadding, false).run(values("x", y, "w", w)).get("y");
            assertArrayEquals(g.x(), ty.shape(), "ConvTranspose output shape for " + g);
            double lhs = TestGraphs.dot(cx, y);
            double rhs = TestGraphs.dot(x, ty);
            assertEquals(lhs, rhs, 1e-10 * (1 + Math.abs(lhs)), "adjoint identity for " + g);
        }
    }

    @Test
    void adjointFailsForMismatchedGroupLayout() {
        Geometry g = new Geometry(new long[]{1, 4, 5, 5}, new long[]{4, 2, 3, 3}, ones(2), new long[4], ones(2), 2);
        Random rnd = new Random(7);
        DTensor x = random(rnd, g.x());
        DTensor w = random(rnd, g.w());
        DTensor cx = convModel("Conv", g, null, false).run(values("x", x, "w", w)).get("y");
        DTensor y = random(rnd, cx.shape());
        Geometry ungrouped = new Geometry(g.x(), new long[]{4, 1, 3, 3}, ones(2), new long[4], ones(2), 4);
        DTensor wrong = convModel("ConvTranspose", ungrouped, null, false)
                .run(values("x", y, "w", new DTensor(w.type(), ungrouped.w(), Arrays.copyOf(w.data(), 36)))).get("y");
        double lhs = TestGraphs.dot(cx, y);
        double rhs = TestGraphs.dot(x, wrong);
        assertEquals(false, Math.abs(lhs - rhs) < 1e-6 * (1 + Math.abs(lhs)), "a wrong layout must break the identity");
    }

    @Test
    void biasIsAddedPerOutputChannel() {
        Geometry g = plain(new long[]{1, 2, 3, 3}, new long[]{3, 2, 2, 2});
        Random rnd = new Random(3);
        DTensor x = random(rnd, g.x());
        DTensor w = random(rnd, g.w());
        DTensor b = DTensor.of(new long[]{3}, new double[]{1, -2, 0.5});
        DTensor with = convModel("Conv", g, null, true).run(values("x", x, "w", w, "b", b)).get("y");
        DTensor without = convModel("Conv", g, null, false).run(values("x", x, "w", w)).get("y");
        for (int k = 0; k < with.size(); k++) {
            assertEquals(b.data()[k / 4], with.data()[k] - without.data()[k], 1e-12);
        }
        DTensor bt = DTensor.of(new long[]{2}, new double[]{3, -1});
        DTensor twith = convModel("ConvTranspose", plain(new long[]{1, 3, 2, 2}, new long[]{3, 2, 2, 2}), null, true)
                .run(values("x", with, "w", w, "b", bt)).get("y");
        DTensor twithout = convModel("ConvTranspose", plain(new long[]{1, 3, 2, 2}, new long[]{3, 2, 2, 2}), null, false)
                .run(values("x", with, "w", w)).get("y");
        for (int k = 0; k < twith.size(); k++) {
            assertEquals(bt.data()[k / 9], twith.data()[k] - twithout.data()[k], 1e-12);
        }
    }

    @Test
    void maxUnpoolIsAdjointOfGatherByMaxPoolIndices() {
        Random rnd = new Random(11);
        DTensor x = random(rnd, 2, 3, 4, 6);
        ReferenceInterpreter pool = new TestGraphs(17).input("x").output("y", "i")
                .node("MaxPool", "x", "y,i", ints("kernel_shape", 2, 3), ints("strides", 2, 3)).interpreter();
        Map<String, DTensor> pooled = pool.run(values("x", x));
        DTensor y = pooled.get("y");
        DTensor idx = pooled.get("i");
        assertArrayEquals(new long[]{2, 3, 2, 2}, y.shape());
        for (int k = 0; k < y.size(); k++) {
            assertEquals(x.data()[(int) idx.data()[k]], y.data()[k], 0, "Indices address the whole input tensor");
        }
        DTensor z = random(rnd, y.shape());
        ReferenceInterpreter unpoolDefault = new TestGraphs(17).input("z", "i").output("u")
                .node("MaxUnpool", "z,i", "u", ints("kernel_shape", 2, 3), ints("strides", 2, 3)).interpreter();
        DTensor u = unpoolDefault.run(values("z", z, "i", idx)).get("u");
        assertArrayEquals(x.shape(), u.shape());
        assertEquals(TestGraphs.dot(y, z), TestGraphs.dot(x, u), 1e-12);

        DTensor odd = random(rnd, 1, 2, 5, 5);
        ReferenceInterpreter pool3 = new TestGraphs(17).input("x").output("y", "i")
                .node("MaxPool", "x", "y,i", ints("kernel_shape", 2, 2), ints("strides", 2, 2)).interpreter();
        Map<String, DTensor> p3 = pool3.run(values("x", odd));
        DTensor z3 = random(rnd, p3.get("y").shape());
        ReferenceInterpreter unpoolShape = new TestGraphs(17).input("z", "i", "s").output("u")
                .node("MaxUnpool", "z,i,s", "u", ints("kernel_shape", 2, 2), ints("strides", 2, 2)).interpreter();
        DTensor u3 = unpoolShape.run(values("z", z3, "i", p3.get("i"), "s", TestGraphs.longs(1, 2, 5, 5))).get("u");
        assertArrayEquals(odd.shape(), u3.shape());
        assertEquals(TestGraphs.dot(p3.get("y"), z3), TestGraphs.dot(odd, u3), 1e-12);
    }

    @Test
    void finiteDifferenceOfConvMatchesConvTransposeGradient() {
        Geometry g = new Geometry(new long[]{1, 2, 5, 4}, new long[]{2, 1, 3, 2}, new long[]{2, 1}, new long[]{1, 0, 1, 1},
                ones(2), 2);
        Random rnd = new Random(5);
        DTensor x = random(rnd, g.x());
        DTensor w = random(rnd, g.w());
        ReferenceInterpreter conv = convModel("Conv", g, null, false);
        DTensor y = random(rnd, conv.run(values("x", x, "w", w)).get("y").shape());
        double[] fd = FiniteDifference.gradient(
                v -> TestGraphs.dot(conv.run(values("x", new DTensor(x.type(), g.x(), v), "w", w)).get("y"), y),
                x.data(), 1e-3);
        long[] outputPadding = {g.x()[2] - (2 * (y.shape()[2] - 1) + 3 - 2), g.x()[3] - (y.shape()[3] - 1 + 2 - 1)};
        DTensor grad = convModel("ConvTranspose", g, outputPadding, false).run(values("x", y, "w", w)).get("y");
        assertArrayEquals(grad.data(), fd, 1e-9);
    }
}
