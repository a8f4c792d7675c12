package org.widerobust.descriptors.reference;

import org.widerobust.descriptors.reference.DTensor.DType;

import java.util.Arrays;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Unary, binary (numpy broadcasting) and variadic elementwise ops, plus Cast, Clip, Where and Dropout. */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    static void register(Map<String, OpKernel> r) {
        unary(r, "Abs", Math::abs);
        unary(r, "Neg", v -> -v);
        unary(r, "Exp", Math::exp);
        unary(r, "Log", Math::log);
        unary(r, "Sqrt", Math::sqrt);
        unary(r, "Reciprocal", v -> 1 / v);
        unary(r, "Relu", v -> v > 0 ? v : 0);
        unary(r, "Sigmoid", ElementwiseOps::sigmoid);
        unary(r, "Tanh", Math::tanh);
        unary(r, "Sign", Math::signum);
        unary(r, "Floor", Math::floor);
        unary(r, "Ceil", Math::ceil);
        unary(r, "Softplus", v -> v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
        unary(r, "Not", v -> v != 0 ? 0 : 1);
        r.put("Identity", (n, in) -> new DTensor[]{n.require(in, 0)});
        r.put("Elu", (n, in) -> {
            double alpha = n.attrFloat("alpha", 1.0);
            return new DTensor[]{map(n.require(in, 0), v -> v >= 0 ? v : alpha * (Math.exp(v) - 1))};
        });
        r.put("LeakyRelu", (n, in) -> {
            double alpha = n.attrFloat("alpha", 0.01);
            return new DTensor[]{map(n.require(in, 0), v -> v >= 0 ? v : alpha * v)};
        });
        r.put("Dropout", ElementwiseOps::dropout);
        r.put("Cast", (n, in) -> new DTensor[]{n.require(in, 0).cast(DType.fromOnnx((int) n.attrInt("to", -1)))});
        r.put("Clip", ElementwiseOps::clip);

        arithmetic(r, "Add", Double::sum);
        arithmetic(r, "Sub", (a, b) -> a - b);
        arithmetic(r, "Mul", (a, b) -> a * b);
        r.put("Div", (n, in) -> {
            DTensor a = n.require(in, 0);
            DoubleBinaryOperator f = a.type().isIntegral() ? (x, y) -> (double) ((long) x / (long) y) : (x, y) -> x / y;
            return new DTensor[]{binary(a, n.require(in, 1), f, a.type())};
        });
        arithmetic(r, "Pow", Math::pow);
        logical(r, "And", (a, b) -> (a != 0 && b != 0) ? 1 : 0);
        logical(r, "Or", (a, b) -> (a != 0 || b != 0) ? 1 : 0);
        logical(r, "Xor", (a, b) -> ((a != 0) ^ (b != 0)) ? 1 : 0);
        logical(r, "Equal", (a, b) -> a == b ? 1 : 0);
        logical(r, "Greater", (a, b) -> a > b ? 1 : 0);
        logical(r, "GreaterOrEqual", (a, b) -> a >= b ? 1 : 0);
        logical(r, "Less", (a, b) -> a < b ? 1 : 0);
        logical(r, "LessOrEqual", (a, b) -> a <= b ? 1 : 0);

        variadic(r, "Sum", Double::sum);
        variadic(r, "Max", ElementwiseOps::nanMax);
        variadic(r, "Min", ElementwiseOps::nanMin);
        r.put("Mean", (n, in) -> {
            DTensor s = fold(n, in, Double::sum);
            int count = in.length;
            return new DTensor[]{map(s, v -> v / count)};
        });
        r.put("Where", ElementwiseOps::where);
    }

    static double sigmoid(double v) {
        if (v >= 0) {
            return 1 / (1 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1 + e);
    }

    private static double nanMax(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    private static double nanMin(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
    }

    private static void unary(Map<String, OpKernel> r, String op, DoubleUnaryOperator f) {
        r.put(op, (n, in) -> new DTensor[]{map(n.require(in, 0), f)});
    }

    private static void arithmetic(Map<String, OpKernel> r, String op, DoubleBinaryOperator f) {
        r.put(op, (n, in) -> {
            DTensor a = n.require(in, 0);
            DoubleBinaryOperator g = a.type().isIntegral() ? (x, y) -> a.type().convert(f.applyAsDouble(x, y)) : f;
            return new DTensor[]{binary(a, n.require(in, 1), g, a.type())};
        });
    }

    private static void logical(Map<String, OpKernel> r, String op, DoubleBinaryOperator f) {
        r.put(op, (n, in) -> new DTensor[]{binary(n.require(in, 0), n.require(in, 1), f, DType.BOOL)});
    }

    private static void variadic(Map<String, OpKernel> r, String op, DoubleBinaryOperator f) {
        r.put(op, (n, in) -> new DTensor[]{fold(n, in, f)});
    }

    private static DTensor fold(NodeContext n, DTensor[] in, DoubleBinaryOperator f) {
        DTensor acc = n.require(in, 0);
        for (int i = 1; i < in.length; i++) {
            acc = binary(acc, n.require(in, i), f, acc.type());
        }
        return acc;
    }

    /** Applies {@code f} to every element, keeping type and shape. */
    static DTensor map(DTensor x, DoubleUnaryOperator f) {
        double[] src = x.data();
        double[] out = new double[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(src[i]);
        }
        return new DTensor(x.type(), x.shape(), out);
    }

    /** Applies {@code f} to numpy-broadcast pairs of elements. */
    static DTensor binary(DTensor a, DTensor b, DoubleBinaryOperator f, DType outType) {
        long[] as = a.shape();
        long[] bs = b.shape();
        double[] ad = a.data();
        double[] bd = b.data();
        if (Arrays.equals(as, bs)) {
            double[] out = new double[ad.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = f.applyAsDouble(ad[i], bd[i]);
            }
            return new DTensor(outType, as, out);
        }
        long[] shape = Shapes.broadcast(as, bs);
        int[] ia = Shapes.broadcastMap(as, shape);
        int[] ib = Shapes.broadcastMap(bs, shape);
        double[] out = new double[ia.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(ad[ia[i]], bd[ib[i]]);
        }
        return new DTensor(outType, shape, out);
    }

    private static DTensor[] where(NodeContext n, DTensor[] in) {
        DTensor c = n.require(in, 0);
        DTensor x = n.require(in, 1);
        DTensor y = n.require(in, 2);
        long[] shape = Shapes.broadcast(c.shape(), x.shape(), y.shape());
        int[] ic = Shapes.broadcastMap(c.shape(), shape);
        int[] ix = Shapes.broadcastMap(x.shape(), shape);
        int[] iy = Shapes.broadcastMap(y.shape(), shape);
        double[] out = new double[ic.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.data()[ic[i]] != 0 ? x.data()[ix[i]] : y.data()[iy[i]];
        }
        return new DTensor[]{new DTensor(x.type(), shape, out)};
    }

    private static DTensor[] dropout(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor training = NodeContext.optional(in, 2);
        if (training != null && training.data()[0] != 0) {
            throw n.unsupported("training_mode=true is not supported (dropout is random)");
        }
        double[] ones = new double[x.size()];
        Arrays.fill(ones, 1);
        return new DTensor[]{x, new DTensor(DType.BOOL, x.shape(), ones)};
    }

    private static DTensor[] clip(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        double lo;
        double hi;
        if (n.opset() < 11) {
            lo = n.attrFloat("min", Double.NEGATIVE_INFINITY);
            hi = n.attrFloat("max", Double.POSITIVE_INFINITY);
        } else {
            DTensor min = NodeContext.optional(in, 1);
            DTensor max = NodeContext.optional(in, 2);
            lo = min == null ? Double.NEGATIVE_INFINITY : min.data()[0];
            hi = max == null ? Double.POSITIVE_INFINITY : max.data()[0];
        }
        return new DTensor[]{map(x, v -> Double.isNaN(v) ? v : Math.min(hi, Math.max(lo, v)))};
    }
}
