package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;

/** Gradients of Gemm and MatMul. */
final class LinearRules {
    private LinearRules() {}

    static void register(Map<String, BackwardRule> r) {
        r.put("Gemm", LinearRules::gemm);
        r.put("MatMul", LinearRules::matmul);
    }

    /** Y = alpha op(A) op(B) + beta C, op = optional transpose. */
    private static void gemm(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String dy = c.outputGradient(n, 0);
        String a = n.getInput(0);
        String b = n.getInput(1);
        boolean ta = Attr.getInt(n, "transA", 0) == 1;
        boolean tb = Attr.getInt(n, "transB", 0) == 1;
        float alpha = Attr.getFloat(n, "alpha", 1f);
        float beta = Attr.getFloat(n, "beta", 1f);
        if (c.needs(n, 0)) {
            // dop(A) = alpha dY op(B)^T; dA = dop(A) or its transpose.
            String da = ta ? gemm(g, b, dy, tb, true, alpha) : gemm(g, dy, b, false, !tb, alpha);
            c.add(a, da);
        }
        if (c.needs(n, 1)) {
            // dop(B) = alpha op(A)^T dY.
            String db = tb ? gemm(g, dy, a, true, ta, alpha) : gemm(g, a, dy, !ta, false, alpha);
            c.add(b, db);
        }
        if (c.needs(n, 2)) {
            String d = beta == 1f ? dy : g.op("Mul", dy, g.scalar("beta", beta));
            c.add(n.getInput(2), c.unbroadcastTo(n, d, 2));
        }
    }

    private static String gemm(GraphBuilder g, String a, String b, boolean ta, boolean tb, float alpha) {
        return g.op("Gemm", List.of(a, b), Attr.i("transA", ta ? 1 : 0), Attr.i("transB", tb ? 1 : 0),
                Attr.f("alpha", alpha));
    }

    private static void matmul(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String dy = c.outputGradient(n, 0);
        long[] out = c.shape(n.getOutput(0));
        if (c.needs(n, 0)) {
            String bt = transposeLast2(g, n.getInput(1), c.shape(n.getInput(1)).length);
            String da = g.op("MatMul", dy, bt);
            long[] daShape = out.clone();
            daShape[out.length - 1] = c.shape(n.getInput(0))[c.shape(n.getInput(0)).length - 1];
            c.add(n.getInput(0), c.unbroadcast(da, daShape, c.shape(n.getInput(0))));
        }
        if (c.needs(n, 1)) {
            String at = transposeLast2(g, n.getInput(0), c.shape(n.getInput(0)).length);
            String db = g.op("MatMul", at, dy);
            long[] dbShape = out.clone();
            long[] bShape = c.shape(n.getInput(1));
            dbShape[out.length - 2] = bShape[bShape.length - 2];
            c.add(n.getInput(1), c.unbroadcast(db, dbShape, bShape));
        }
    }

    private static String transposeLast2(GraphBuilder g, String x, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return g.op("Transpose", x, Attr.ints("perm", perm));
    }
}
