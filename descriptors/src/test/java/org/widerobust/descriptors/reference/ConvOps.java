package org.widerobust.descriptors.reference;

import java.util.Arrays;
import java.util.Map;

/** N-dimensional Conv and ConvTranspose with strides, pads, dilations, groups and optional bias. */
final class ConvOps {

    private ConvOps() {
    }

    static void register(Map<String, OpKernel> r) {
        r.put("Conv", ConvOps::conv);
        r.put("ConvTranspose", ConvOps::convTranspose);
    }

    private static long[] spatial(long[] shape) {
        return Arrays.copyOfRange(shape, 2, shape.length);
    }

    private static long[] kernel(NodeContext n, long[] w) {
        long[] k = n.attrInts("kernel_shape", spatial(w));
        if (!Arrays.equals(k, spatial(w))) {
            throw n.error("kernel_shape " + Arrays.toString(k) + " differs from weight shape " + Arrays.toString(w));
        }
        return k;
    }

    private static DTensor[] conv(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor w = n.require(in, 1);
        DTensor b = NodeContext.optional(in, 2);
        long[] xs = x.shape();
        long[] ws = w.shape();
        if (xs.length < 3 || ws.length != xs.length) {
            throw n.error("X " + Arrays.toString(xs) + " and W " + Arrays.toString(ws) + " must be N x C x spatial");
        }
        int group = (int) n.attrInt("group", 1);
        int batch = (int) xs[0];
        int c = (int) xs[1];
        int m = (int) ws[0];
        int cg = (int) ws[1];
        if (cg * group != c || m % group != 0) {
            throw n.error("X " + Arrays.toString(xs) + " and W " + Arrays.toString(ws) + " do not fit group=" + group);
        }
        int mg = m / group;
        long[] inSp = spatial(xs);
        Window win = Window.forward(n, kernel(n, ws), inSp);
        long[] outSp = win.outputShape(inSp, false);
        int[] table = win.table(outSp, inSp);
        int ks = win.kernelSize();
        int inSize = (int) Shapes.product(inSp);
        int outSize = (int) Shapes.product(outSp);
        double[] xd = x.data();
        double[] wd = w.data();
        double[] out = new double[batch * m * outSize];
        for (int nb = 0; nb < batch; nb++) {
            for (int oc = 0; oc < m; oc++) {
                int g = oc / mg;
                double bias = b == null ? 0 : b.data()[oc];
                int outBase = (nb * m + oc) * outSize;
                for (int p = 0; p < outSize; p++) {
                    double s = bias;
                    for (int cl = 0; cl < cg; cl++) {
                        int xBase = (nb * c + g * cg + cl) * inSize;
                        int wBase = (oc * cg + cl) * ks;
                        int tBase = p * ks;
                        for (int q = 0; q < ks; q++) {
                            int off = table[tBase + q];
                            if (off >= 0) {
                                s += xd[xBase + off] * wd[wBase + q];
                            }
                        }
                    }
                    out[outBase + p] = s;
                }
            }
        }
        long[] outShape = new long[xs.length];
        outShape[0] = batch;
        outShape[1] = m;
        System.arraycopy(outSp, 0, outShape, 2, outSp.length);
        return new DTensor[]{new DTensor(x.type(), outShape, out)};
    }

    private static DTensor[] convTranspose(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor w = n.require(in, 1);
        DTensor b = NodeContext.optional(in, 2);
        long[] xs = x.shape();
        long[] ws = w.shape();
        if (xs.length < 3 || ws.length != xs.length) {
            throw n.error("X " + Arrays.toString(xs) + " and W " + Arrays.toString(ws) + " must be N x C x spatial");
        }
        int group = (int) n.attrInt("group", 1);
        int batch = (int) xs[0];
        int cin = (int) xs[1];
        if (ws[0] != cin || cin % group != 0) {
            throw n.error("W " + Arrays.toString(ws) + " must be [C_in=" + cin + ", C_out/group, k...] with group=" + group);
        }
        int cinG = cin / group;
        int coutG = (int) ws[1];
        int cout = coutG * group;
        long[] inSp = spatial(xs);
        int nd = inSp.length;
        long[] outputPadding = n.attrInts("output_padding", new long[nd]);
        Window win = Window.transposed(n, kernel(n, ws), inSp, outputPadding);
        long[] outSp = win.transposedOutputShape(inSp, outputPadding);
        int[] table = win.table(inSp, outSp);
        int ks = win.kernelSize();
        int inSize = (int) Shapes.product(inSp);
        int outSize = (int) Shapes.product(outSp);
        double[] xd = x.data();
        double[] wd = w.data();
        double[] out = new double[batch * cout * outSize];
        for (int nb = 0; nb < batch; nb++) {
            for (int ic = 0; ic < cin; ic++) {
                int g = ic / cinG;
                int xBase = (nb * cin + ic) * inSize;
                for (int ocl = 0; ocl < coutG; ocl++) {
                    int outBase = (nb * cout + g * coutG + ocl) * outSize;
                    int wBase = (ic * coutG + ocl) * ks;
                    for (int p = 0; p < inSize; p++) {
                        double xv = xd[xBase + p];
                        int tBase = p * ks;
                        for (int q = 0; q < ks; q++) {
                            int off = table[tBase + q];
                            if (off >= 0) {
                                out[outBase + off] += xv * wd[wBase + q];
                            }
                        }
                    }
                }
            }
        }
        if (b != null) {
            for (int nb = 0; nb < batch; nb++) {
                for (int oc = 0; oc < cout; oc++) {
                    int base = (nb * cout + oc) * outSize;
                    for (int p = 0; p < outSize; p++) {
                        out[base + p] += b.data()[oc];
                    }
                }
            }
        }
        long[] outShape = new long[xs.length];
        outShape[0] = batch;
        outShape[1] = cout;
        System.arraycopy(outSp, 0, outShape, 2, nd);
        return new DTensor[]{new DTensor(x.type(), outShape, out)};
    }
}
