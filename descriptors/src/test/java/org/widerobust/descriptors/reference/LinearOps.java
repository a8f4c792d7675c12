package org.widerobust.descriptors.reference;

import java.util.Arrays;
import java.util.Map;

/** Matrix products (Gemm, MatMul with batch broadcasting) and inference-form BatchNormalization. */
final class LinearOps {

    private LinearOps() {
    }

    static void register(Map<String, OpKernel> r) {
        r.put("Gemm", LinearOps::gemm);
        r.put("MatMul", LinearOps::matMul);
        r.put("BatchNormalization", LinearOps::batchNorm);
    }

    private static DTensor[] gemm(NodeContext n, DTensor[] in) {
        DTensor a = n.require(in, 0);
        DTensor b = n.require(in, 1);
        DTensor c = NodeContext.optional(in, 2);
        double alpha = n.attrFloat("alpha", 1.0);
        double beta = n.attrFloat("beta", 1.0);
        boolean ta = n.attrInt("transA", 0) != 0;
        boolean tb = n.attrInt("transB", 0) != 0;
        if (a.rank() != 2 || b.rank() != 2) {
            throw n.error("A and B must be matrices, got " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        int m = (int) (ta ? a.dim(1) : a.dim(0));
        int k = (int) (ta ? a.dim(0) : a.dim(1));
        int kb = (int) (tb ? b.dim(1) : b.dim(0));
        int nn = (int) (tb ? b.dim(0) : b.dim(1));
        if (k != kb) {
            throw n.error("inner dimensions differ: " + Arrays.toString(a.shape()) + (ta ? "^T" : "") + " x "
                    + Arrays.toString(b.shape()) + (tb ? "^T" : ""));
        }
        double[] ad = a.data();
        double[] bd = b.data();
        long[] shape = {m, nn};
        double[] out = new double[m * nn];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < nn; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? ad[p * m + i] : ad[i * k + p];
                    double bv = tb ? bd[j * k + p] : bd[p * nn + j];
                    s += av * bv;
                }
                out[i * nn + j] = alpha * s;
            }
        }
        if (c != null && beta != 0) {
            double[] cd = Shapes.broadcastTo(c, shape).data();
            for (int i = 0; i < out.length; i++) {
                out[i] += beta * cd[i];
            }
        }
        return new DTensor[]{new DTensor(a.type(), shape, out)};
    }

    private static DTensor[] matMul(NodeContext n, DTensor[] in) {
        DTensor a = n.require(in, 0);
        DTensor b = n.require(in, 1);
        long[] as = a.shape();
        long[] bs = b.shape();
        boolean vecA = as.length == 1;
        boolean vecB = bs.length == 1;
        if (vecA) {
            as = new long[]{1, as[0]};
        }
        if (vecB) {
            bs = new long[]{bs[0], 1};
        }
        int m = (int) as[as.length - 2];
        int k = (int) as[as.length - 1];
        int nn = (int) bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw n.error("inner dimensions differ: " + Arrays.toString(a.shape()) + " x " + Arrays.toString(b.shape()));
        }
        long[] batchA = Arrays.copyOf(as, as.length - 2);
        long[] batchB = Arrays.copyOf(bs, bs.length - 2);
        long[] batch = Shapes.broadcast(batchA, batchB);
        int[] mapA = Shapes.broadcastMap(batchA, batch);
        int[] mapB = Shapes.broadcastMap(batchB, batch);
        double[] ad = a.data();
        double[] bd = b.data();
        double[] out = new double[mapA.length * m * nn];
        for (int t = 0; t < mapA.length; t++) {
            int oa = mapA[t] * m * k;
            int ob = mapB[t] * k * nn;
            int oc = t * m * nn;
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    double av = ad[oa + i * k + p];
                    if (av == 0) {
                        continue;
                    }
                    int rowB = ob + p * nn;
                    int rowC = oc + i * nn;
                    for (int j = 0; j < nn; j++) {
                        out[rowC + j] += av * bd[rowB + j];
                    }
                }
            }
        }
        long[] shape = new long[batch.length + (vecA ? 0 : 1) + (vecB ? 0 : 1)];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        int p = batch.length;
        if (!vecA) {
            shape[p++] = m;
        }
        if (!vecB) {
            shape[p] = nn;
        }
        return new DTensor[]{new DTensor(a.type(), shape, out)};
    }

    private static DTensor[] batchNorm(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor scale = n.require(in, 1);
        DTensor bias = n.require(in, 2);
        DTensor mean = n.require(in, 3);
        DTensor var = n.require(in, 4);
        if (n.attrInt("training_mode", 0) != 0) {
            throw n.unsupported("training_mode=1 is not supported");
        }
        double eps = n.attrFloat("epsilon", 1e-5);
        long[] s = x.shape();
        int channels = (int) s[1];
        int inner = Shapes.product(s, 2, s.length);
        double[] out = new double[x.size()];
        double[] d = x.data();
        for (int i = 0; i < out.length; i++) {
            int c = (i / inner) % channels;
            double inv = 1 / Math.sqrt(var.data()[c] + eps);
            out[i] = scale.data()[c] * (d[i] - mean.data()[c]) * inv + bias.data()[c];
        }
        return new DTensor[]{new DTensor(x.type(), s, out), mean, var};
    }
}
