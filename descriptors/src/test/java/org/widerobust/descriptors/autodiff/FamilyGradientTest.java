package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.Losses;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;
import org.widerobust.descriptors.reference.DTensor;

/**
 * The network families at small widths, batch 2, in double precision through the interpreter: the input gradient
 * and a few parameter gradients (first and last layers, a bias, a batch-norm scale and shift) against finite
 * differences. Batch-norm parameters and running statistics are randomised so that the check is not at the
 * identity initialisation.
 */
class FamilyGradientTest {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void smallCnn(Mode mode) {
        Network net = Families.create("smallcnn", 0.25).build(new long[] {1, 16, 16}, 10, 3, mode);
        check(net, Reduction.SUM, "ce");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void mlp(Mode mode) {
        Network net = Families.create("mlp", 0.1).build(new long[] {1, 8, 8}, 10, 3, mode);
        check(net, Reduction.MEAN, "ce");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wideResNet(Mode mode) {
        Network net = Families.create("wrn-10", 0.25).build(new long[] {3, 8, 8}, 10, 3, mode);
        check(net, Reduction.MEAN, "ce");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wideResNetDlrAttackLoss(Mode mode) {
        Network net = Families.create("wrn-10", 0.25).build(new long[] {3, 8, 8}, 10, 5, mode);
        check(net, Reduction.SUM, "dlr");
    }

    private static void check(Network net, Reduction reduction, String loss) {
        List<String> params = pick(net);
        GradientChecker c = GradientChecker.of(net, loss.equals("ce") ? new CrossEntropyLoss() : Losses.create(loss))
                .reduction(reduction).batch(2).parameters(params).samples(12);
        randomiseBatchNorm(net, c);
        randomiseZeroParameters(net, c);
        GradientChecker.Result r = c.check();
        for (String p : params) {
            assertTrue(r.checked(p) > 0, p);
        }
        assertTrue(r.maxAbsGradient(net.input()) > 0, "the input gradient is not identically zero");
    }

    /** The first and last weights, the last bias, and the first and last batch-norm scale and shift. */
    private static List<String> pick(Network net) {
        List<String> all = net.parameters();
        Set<String> out = new LinkedHashSet<>();
        out.add(all.get(0));
        out.add(all.get(all.size() / 2));
        all.stream().filter(p -> p.contains("bn")).findFirst().ifPresent(out::add);
        List<String> bn = all.stream().filter(p -> p.contains("bn")).toList();
        if (!bn.isEmpty()) {
            out.add(bn.get(bn.size() - 1));
            out.add(bn.get(bn.size() - 2));
        }
        out.add(all.get(all.size() - 2));
        out.add(all.get(all.size() - 1));
        return new ArrayList<>(out);
    }

    /** Parameters initialised to zero (smallcnn's fc3 and conv biases) get N(0, 0.1²), so gradients flow. */
    private static void randomiseZeroParameters(Network net, GradientChecker c) {
        Random rnd = new Random(23);
        Map<String, TensorProto> init = net.initializers();
        for (String p : net.parameters()) {
            float[] v = Tensors.toFloats(init.get(p));
            boolean zero = true;
            for (float f : v) {
                zero &= f == 0f;
            }
            if (zero && !p.matches(".*bn\\d*\\.(weight|bias)")) {
                c.feed(p, GradientChecker.normal(rnd, Tensors.dims(init.get(p)), 0.1));
            }
        }
    }

    /** Random BN scale ~ 1 + 0.3 N, shift ~ 0.2 N, running mean ~ 0.2 N and running variance ~ U(0.5, 1.5). */
    private static void randomiseBatchNorm(Network net, GradientChecker c) {
        Random rnd = new Random(17);
        for (Map.Entry<String, TensorProto> e : net.initializers().entrySet()) {
            String name = e.getKey();
            long[] dims = Tensors.dims(e.getValue());
            if (!name.matches(".*bn\\d*\\.(weight|bias|running_mean|running_var)")) {
                continue;
            }
            DTensor v;
            if (name.endsWith(".running_var")) {
                v = GradientChecker.uniform(rnd, dims, 0.5, 1.5);
            } else if (name.endsWith(".weight")) {
                v = add(GradientChecker.normal(rnd, dims, 0.3), 1);
            } else {
                v = GradientChecker.normal(rnd, dims, 0.2);
            }
            c.feed(name, v);
        }
    }

    private static DTensor add(DTensor t, double v) {
        double[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += v;
        }
        return DTensor.of(t.shape(), d);
    }
}
