package org.widerobust.descriptors.reference;

import java.util.Map;

/** Erf, GELU (opset 20), Mish (18), HardSigmoid, HardSwish and LayerNormalization (17), in double precision. */
final class ActivationOps {

    private ActivationOps() {
    }

    static void register(Map<String, OpKernel> r) {
        r.put("Erf", (n, in) -> new DTensor[]{map(n.require(in, 0), ActivationOps::erf)});
        r.put("Gelu", (n, in) -> {
            String approx = n.attrString("approximate", "none");
            if (approx.equals("tanh")) {
                double k = Math.sqrt(2 / Math.PI);
                return new DTensor[]{map(n.require(in, 0),
                        v -> 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))))};
            }
            if (!approx.equals("none")) {
                throw n.error("approximate must be 'none' or 'tanh'");
            }
            return new DTensor[]{map(n.require(in, 0), v -> 0.5 * v * (1 + erf(v / Math.sqrt(2))))};
        });
        r.put("Mish", (n, in) -> new DTensor[]{map(n.require(in, 0), v -> v * Math.tanh(softplus(v)))});
        r.put("HardSigmoid", (n, in) -> {
            double alpha = n.attrFloat("alpha", 0.2);
            double beta = n.attrFloat("beta", 0.5);
            return new DTensor[]{map(n.require(in, 0), v -> Math.max(0, Math.min(1, alpha * v + beta)))};
        });
        r.put("HardSwish", (n, in) -> new DTensor[]{map(n.require(in, 0),
                v -> v * Math.max(0, Math.min(1, v / 6 + 0.5)))});
        r.put("LayerNormalization", ActivationOps::layerNorm);
    }

    static double softplus(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    /**
     * The error function to about 1e-15: its Maclaurin series below |x| = 2.5, the continued fraction of erfc
     * above.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            double term = a;
            double sum = a;
            double x2 = a * a;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = a;
            for (int k = 120; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
        }
        return x < 0 ? -r : r;
    }

    private static DTensor map(DTensor x, java.util.function.DoubleUnaryOperator f) {
        double[] d = x.data();
        double[] o = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            o[i] = f.applyAsDouble(d[i]);
        }
        return new DTensor(x.type(), x.shape(), o);
    }

    /** Normalises over the axes from {@code axis} on, then scales and shifts (broadcast); outputs Y, Mean, InvStdDev. */
    private static DTensor[] layerNorm(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] shape = x.shape();
        int axis = Shapes.axis(n.attrInt("axis", -1), shape.length);
        double eps = n.attrFloat("epsilon", 1e-5);
        int outer = Shapes.product(shape, 0, axis);
        int inner = Shapes.product(shape, axis, shape.length);
        long[] normShape = java.util.Arrays.copyOfRange(shape, axis, shape.length);
        DTensor scale = Shapes.broadcastTo(n.require(in, 1), normShape);
        DTensor bias = NodeContext.optional(in, 2) == null ? null : Shapes.broadcastTo(in[2], normShape);
        double[] d = x.data();
        double[] y = new double[d.length];
        double[] mean = new double[outer];
        double[] inv = new double[outer];
        for (int o = 0; o < outer; o++) {
            double m = 0;
            for (int i = 0; i < inner; i++) {
                m += d[o * inner + i];
            }
            m /= inner;
            double v = 0;
            for (int i = 0; i < inner; i++) {
                double c = d[o * inner + i] - m;
                v += c * c;
            }
            v /= inner;
            double r = 1 / Math.sqrt(v + eps);
            mean[o] = m;
            inv[o] = r;
            for (int i = 0; i < inner; i++) {
                y[o * inner + i] = (d[o * inner + i] - m) * r * scale.data()[i] + (bias == null ? 0 : bias.data()[i]);
            }
        }
        long[] stat = shape.clone();
        java.util.Arrays.fill(stat, axis, stat.length, 1);
        return new DTensor[]{new DTensor(x.type(), shape, y), new DTensor(x.type(), stat, mean),
                new DTensor(x.type(), stat, inv)};
    }
}
