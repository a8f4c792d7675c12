package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;

/** Gradients of elementwise arithmetic and activations (with numpy broadcasting undone by summation). */
final class ElementwiseRules {
    private ElementwiseRules() {}

    static void register(Map<String, BackwardRule> r) {
        r.put("Add", (n, c) -> binary(n, c, false));
        r.put("Sub", (n, c) -> binary(n, c, true));
        r.put("Sum", ElementwiseRules::sum);
        r.put("Mul", ElementwiseRules::mul);
        r.put("Div", ElementwiseRules::div);
        r.put("Neg", (n, c) -> unary(n, c, c.g().op("Neg", c.outputGradient(n, 0))));
        r.put("Relu", (n, c) -> {
            if (c.isReluMasked(n.getOutput(0))) {
                unary(n, c, c.outputGradient(n, 0));
                return;
            }
            unary(n, c, c.g().op("Mul", c.outputGradient(n, 0), c.reluMask(n.getOutput(0))));
        });
        r.put("LeakyRelu", (n, c) -> {
            float alpha = Attr.getFloat(n, "alpha", 0.01f);
            GraphBuilder g = c.g();
            String pos = c.mask(g.op("Greater", n.getInput(0), g.scalar("zero", 0f)));
            String slope = g.op("Add", g.op("Mul", pos, g.scalar("one_minus_alpha", 1f - alpha)),
                    g.scalar("alpha", alpha));
            unary(n, c, g.op("Mul", c.outputGradient(n, 0), slope));
        });
        r.put("Elu", (n, c) -> {
            float alpha = Attr.getFloat(n, "alpha", 1f);
            GraphBuilder g = c.g();
            String pos = c.mask(g.op("Greater", n.getInput(0), g.scalar("zero", 0f)));
            String negSlope = g.op("Add", n.getOutput(0), g.scalar("alpha", alpha));
            String slope = g.op("Add", pos, g.op("Mul", g.op("Sub", g.scalar("one", 1f), pos), negSlope));
            unary(n, c, g.op("Mul", c.outputGradient(n, 0), slope));
        });
        r.put("Sigmoid", (n, c) -> {
            GraphBuilder g = c.g();
            String y = n.getOutput(0);
            String d = g.op("Mul", y, g.op("Sub", g.scalar("one", 1f), y));
            unary(n, c, g.op("Mul", c.outputGradient(n, 0), d));
        });
        r.put("Tanh", (n, c) -> {
            GraphBuilder g = c.g();
            String y = n.getOutput(0);
            String d = g.op("Sub", g.scalar("one", 1f), g.op("Mul", y, y));
            unary(n, c, g.op("Mul", c.outputGradient(n, 0), d));
        });
        r.put("Exp", (n, c) -> unary(n, c, c.g().op("Mul", c.outputGradient(n, 0), n.getOutput(0))));
        r.put("Log", (n, c) -> unary(n, c, c.g().op("Div", c.outputGradient(n, 0), n.getInput(0))));
        r.put("Sqrt", (n, c) -> {
            GraphBuilder g = c.g();
            String d = g.op("Div", g.scalar("half", 0.5f), n.getOutput(0));
            unary(n, c, g.op("Mul", c.outputGradient(n, 0), d));
        });
        r.put("Reciprocal", (n, c) -> {
            GraphBuilder g = c.g();
            String y = n.getOutput(0);
            unary(n, c, g.op("Neg", g.op("Mul", c.outputGradient(n, 0), g.op("Mul", y, y))));
        });
        r.put("Abs", (n, c) -> unary(n, c, c.g().op("Mul", c.outputGradient(n, 0), c.g().op("Sign", n.getInput(0)))));
        r.put("Pow", ElementwiseRules::pow);
        r.put("Clip", ElementwiseRules::clip);
        r.put("Cast", (n, c) -> unary(n, c, c.outputGradient(n, 0)));
        r.put("Erf", (n, c) -> unary(n, c, c.g().op("Mul", c.outputGradient(n, 0), erfSlope(c.g(), n.getInput(0),
                1.0))));
        r.put("Gelu", ElementwiseRules::gelu);
        r.put("Softplus", (n, c) -> unary(n, c, c.g().op("Mul", c.outputGradient(n, 0),
                c.g().op("Sigmoid", n.getInput(0)))));
        r.put("Mish", ElementwiseRules::mish);
        r.put("HardSigmoid", ElementwiseRules::hardSigmoid);
        r.put("HardSwish", ElementwiseRules::hardSwish);
        r.put("Where", ElementwiseRules::where);
    }

    /** d erf(s x) / dx = s (2 / sqrt(pi)) exp(-(s x)^2). */
    private static String erfSlope(GraphBuilder g, String x, double s) {
        String sx = s == 1.0 ? x : g.op("Mul", x, g.scalar("erf_scale", (float) s));
        String e = g.op("Exp", g.op("Neg", g.op("Mul", sx, sx)));
        return g.op("Mul", e, g.scalar("erf_slope", (float) (s * 2 / Math.sqrt(Math.PI))));
    }

    /**
     * GELU (opset 20): exact, 0.5 (1 + erf(x / sqrt 2)) + x phi(x); or with {@code approximate="tanh"},
     * u = sqrt(2/pi) (x + 0.044715 x^3), t = tanh(u): 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2).
     */
    private static void gelu(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String approx = Attr.getString(n, "approximate", "none");
        String half = g.scalar("half", 0.5f);
        String one = g.scalar("one", 1f);
        String d;
        if (approx.equals("tanh")) {
            float k = (float) Math.sqrt(2 / Math.PI);
            String x2 = g.op("Mul", x, x);
            String inner = g.op("Add", one, g.op("Mul", x2, g.scalar("gelu_c", 0.044715f)));
            String t = g.op("Tanh", g.op("Mul", g.op("Mul", x, inner), g.scalar("gelu_k", k)));
            String dInner = g.op("Mul", g.op("Add", one, g.op("Mul", x2, g.scalar("gelu_3c", 3 * 0.044715f))),
                    g.scalar("gelu_k", k));
            String sech2 = g.op("Sub", one, g.op("Mul", t, t));
            d = g.op("Add", g.op("Mul", half, g.op("Add", one, t)),
                    g.op("Mul", g.op("Mul", half, x), g.op("Mul", sech2, dInner)));
        } else if (approx.equals("none")) {
            String cdf = g.op("Mul", half, g.op("Add", one, g.op("Erf", g.op("Mul", x,
                    g.scalar("inv_sqrt2", (float) (1 / Math.sqrt(2)))))));
            String pdf = g.op("Mul", g.op("Exp", g.op("Mul", g.op("Mul", x, x), g.scalar("neg_half", -0.5f))),
                    g.scalar("inv_sqrt_2pi", (float) (1 / Math.sqrt(2 * Math.PI))));
            d = g.op("Add", cdf, g.op("Mul", x, pdf));
        } else {
            throw c.unsupported(n, "approximate='" + approx + "'");
        }
        unary(n, c, g.op("Mul", c.outputGradient(n, 0), d));
    }

    /** Mish (opset 18): y = x tanh(softplus(x)); dy/dx = t + x sigmoid(x) (1 - t^2) with t = tanh(softplus(x)). */
    private static void mish(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String t = g.op("Tanh", g.op("Softplus", x));
        String sech2 = g.op("Sub", g.scalar("one", 1f), g.op("Mul", t, t));
        String d = g.op("Add", t, g.op("Mul", g.op("Mul", x, g.op("Sigmoid", x)), sech2));
        unary(n, c, g.op("Mul", c.outputGradient(n, 0), d));
    }

    /** y = max(0, min(1, alpha x + beta)): slope alpha where 0 < alpha x + beta < 1 (PyTorch's open interval). */
    private static void hardSigmoid(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        float alpha = Attr.getFloat(n, "alpha", 0.2f);
        float beta = Attr.getFloat(n, "beta", 0.5f);
        String t = g.op("Add", g.op("Mul", n.getInput(0), g.scalar("hs_alpha", alpha)), g.scalar("hs_beta", beta));
        String inside = g.op("And", List.of(g.op("Greater", t, g.scalar("zero", 0f)),
                g.op("Less", t, g.scalar("one", 1f))));
        unary(n, c, g.op("Mul", c.outputGradient(n, 0), g.op("Mul", c.mask(inside), g.scalar("hs_alpha", alpha))));
    }

    /** y = x hardsigmoid(x) (alpha 1/6, beta 1/2): slope 0 below -3, x/3 + 1/2 up to 3, 1 above (as PyTorch). */
    private static void hardSwish(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String mid = g.op("Add", g.op("Mul", x, g.scalar("third", 1f / 3)), g.scalar("half", 0.5f));
        String d = g.op("Where", List.of(g.op("Less", x, g.scalar("minus3", -3f)), g.scalar("zero", 0f),
                g.op("Where", List.of(g.op("Greater", x, g.scalar("plus3", 3f)), g.scalar("one", 1f), mid))));
        unary(n, c, g.op("Mul", c.outputGradient(n, 0), d));
    }

    /** y = cond ? a : b: the gradient goes to a where cond holds, to b elsewhere; none to the condition. */
    private static void where(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String dy = c.outputGradient(n, 0);
        String cond = n.getInput(0);
        String zero = g.scalar("zero", 0f);
        if (c.needs(n, 1)) {
            c.add(n.getInput(1), c.unbroadcastTo(n, g.op("Where", List.of(cond, dy, zero)), 1));
        }
        if (c.needs(n, 2)) {
            c.add(n.getInput(2), c.unbroadcastTo(n, g.op("Where", List.of(cond, zero, dy)), 2));
        }
    }

    private static void unary(NodeProto n, BackwardContext c, String grad) {
        if (c.needs(n, 0)) {
            c.add(n.getInput(0), grad);
        }
    }

    private static void binary(NodeProto n, BackwardContext c, boolean subtract) {
        String dy = c.outputGradient(n, 0);
        if (c.needs(n, 0)) {
            c.add(n.getInput(0), c.unbroadcastTo(n, dy, 0));
        }
        if (c.needs(n, 1)) {
            String d = subtract ? c.g().op("Neg", dy) : dy;
            c.add(n.getInput(1), c.unbroadcastTo(n, d, 1));
        }
    }

    private static void sum(NodeProto n, BackwardContext c) {
        String dy = c.outputGradient(n, 0);
        for (int i = 0; i < n.getInputCount(); i++) {
            if (c.needs(n, i)) {
                c.add(n.getInput(i), c.unbroadcastTo(n, dy, i));
            }
        }
    }

    private static void mul(NodeProto n, BackwardContext c) {
        String dy = c.outputGradient(n, 0);
        for (int i = 0; i < 2; i++) {
            if (c.needs(n, i)) {
                String other = n.getInput(1 - i);
                c.add(n.getInput(i), c.unbroadcastTo(n, c.g().op("Mul", dy, other), i));
            }
        }
    }

    private static void div(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String dy = c.outputGradient(n, 0);
        String b = n.getInput(1);
        if (c.needs(n, 0)) {
            c.add(n.getInput(0), c.unbroadcastTo(n, g.op("Div", dy, b), 0));
        }
        if (c.needs(n, 1)) {
            String d = g.op("Neg", g.op("Div", g.op("Mul", dy, n.getOutput(0)), b));
            c.add(b, c.unbroadcastTo(n, d, 1));
        }
    }

    private static void pow(NodeProto n, BackwardContext c) {
        if (c.needs(n, 1)) {
            throw c.unsupported(n, "the exponent must not depend on the differentiated values");
        }
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String p = n.getInput(1);
        String pm1 = g.op("Sub", p, g.scalar("one", 1f));
        String d = g.op("Mul", p, g.op("Pow", x, pm1));
        c.add(x, c.unbroadcastTo(n, g.op("Mul", c.outputGradient(n, 0), d), 0));
    }

    private static void clip(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String pass = null;
        String lo = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? n.getInput(1) : null;
        String hi = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        if (c.shapes().opset() < 11) {
            lo = Attr.has(n, "min") ? g.scalar("clip_min", Attr.getFloat(n, "min", 0f)) : null;
            hi = Attr.has(n, "max") ? g.scalar("clip_max", Attr.getFloat(n, "max", 0f)) : null;
        }
        if (lo != null) {
            pass = g.op("GreaterOrEqual", x, lo);
        }
        if (hi != null) {
            String le = g.op("LessOrEqual", x, hi);
            pass = pass == null ? le : g.op("And", List.of(pass, le));
        }
        String dy = c.outputGradient(n, 0);
        unary(n, c, pass == null ? dy : g.op("Mul", dy, c.mask(pass)));
        // Bounds that depend on differentiated values receive the gradient where they clip.
        if (c.needs(n, 1)) {
            c.add(lo, c.unbroadcastTo(n, g.op("Mul", dy, c.mask(g.op("Less", x, lo))), 1));
        }
        if (c.needs(n, 2)) {
            c.add(hi, c.unbroadcastTo(n, g.op("Mul", dy, c.mask(g.op("Greater", x, hi))), 2));
        }
    }
}
