package org.widerobust.descriptors.reference;

import java.util.Arrays;

/**
 * Geometry of a sliding window over the spatial axes (kernel, strides, dilations, begin/end pads), shared by
 * convolution and pooling. A coordinate {@code o} of the strided side and kernel index {@code k} meet the
 * dense side at {@code o * stride - padBegin + k * dilation}.
 */
final class Window {

    final long[] kernel;
    final long[] strides;
    final long[] dilations;
    final long[] padBegin;
    final long[] padEnd;

    private Window(long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd) {
        this.kernel = kernel;
        this.strides = strides;
        this.dilations = dilations;
        this.padBegin = padBegin;
        this.padEnd = padEnd;
    }

    /** Reads strides, dilations, pads and auto_pad for a window sliding over {@code inSpatial}. */
    static Window forward(NodeContext n, long[] kernel, long[] inSpatial) {
        int nd = kernel.length;
        long[] strides = n.attrInts("strides", ones(nd));
        long[] dil = n.attrInts("dilations", ones(nd));
        check(n, "strides", strides, nd);
        check(n, "dilations", dil, nd);
        long[] begin = new long[nd];
        long[] end = new long[nd];
        String autoPad = n.attrString("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET": {
                long[] pads = n.attrInts("pads", new long[2 * nd]);
                check(n, "pads", pads, 2 * nd);
                System.arraycopy(pads, 0, begin, 0, nd);
                System.arraycopy(pads, nd, end, 0, nd);
                break;
            }
            case "VALID":
                break;
            case "SAME_UPPER":
            case "SAME_LOWER":
                for (int d = 0; d < nd; d++) {
                    long out = (inSpatial[d] + strides[d] - 1) / strides[d];
                    long total = Math.max(0, (out - 1) * strides[d] + (kernel[d] - 1) * dil[d] + 1 - inSpatial[d]);
                    begin[d] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    end[d] = total - begin[d];
                }
                break;
            default:
                throw n.unsupported("auto_pad '" + autoPad + "'");
        }
        return new Window(kernel, strides, dil, begin, end);
    }

    /** Reads the attributes of ConvTranspose; pads come from output_shape when that attribute is given. */
    static Window transposed(NodeContext n, long[] kernel, long[] inSpatial, long[] outputPadding) {
        int nd = kernel.length;
        long[] strides = n.attrInts("strides", ones(nd));
        long[] dil = n.attrInts("dilations", ones(nd));
        check(n, "strides", strides, nd);
        check(n, "dilations", dil, nd);
        long[] begin = new long[nd];
        long[] end = new long[nd];
        String autoPad = n.attrString("auto_pad", "NOTSET");
        long[] outputShape = n.attrInts("output_shape", null);
        if (outputShape != null && outputShape.length > nd) {
            outputShape = Arrays.copyOfRange(outputShape, outputShape.length - nd, outputShape.length);
        }
        if (outputShape == null && (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER"))) {
            outputShape = new long[nd];
            for (int d = 0; d < nd; d++) {
                outputShape[d] = inSpatial[d] * strides[d];
            }
        }
        if (outputShape != null) {
            for (int d = 0; d < nd; d++) {
                long total = strides[d] * (inSpatial[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dil[d] + 1 - outputShape[d];
                if (autoPad.equals("SAME_UPPER")) {
                    begin[d] = total / 2;
                    end[d] = total - total / 2;
                } else {
                    begin[d] = total - total / 2;
                    end[d] = total / 2;
                }
            }
        } else if (autoPad.equals("NOTSET")) {
            long[] pads = n.attrInts("pads", new long[2 * nd]);
            check(n, "pads", pads, 2 * nd);
            System.arraycopy(pads, 0, begin, 0, nd);
            System.arraycopy(pads, nd, end, 0, nd);
        } else if (!autoPad.equals("VALID")) {
            throw n.unsupported("auto_pad '" + autoPad + "'");
        }
        return new Window(kernel, strides, dil, begin, end);
    }

    private static void check(NodeContext n, String attr, long[] v, int len) {
        if (v.length != len) {
            throw n.error(attr + " " + Arrays.toString(v) + " should have " + len + " entries");
        }
    }

    static long[] ones(int nd) {
        long[] o = new long[nd];
        Arrays.fill(o, 1);
        return o;
    }

    /** Output spatial shape of a forward window (floor or ceil mode). */
    long[] outputShape(long[] inSpatial, boolean ceil) {
        long[] out = new long[kernel.length];
        for (int d = 0; d < out.length; d++) {
            long span = inSpatial[d] + padBegin[d] + padEnd[d] - ((kernel[d] - 1) * dilations[d] + 1);
            if (span < 0) {
                throw new IllegalArgumentException("window larger than padded input along spatial axis " + d);
            }
            long o = (ceil ? (span + strides[d] - 1) / strides[d] : span / strides[d]) + 1;
            if (ceil && (o - 1) * strides[d] >= inSpatial[d] + padBegin[d]) {
                o--;
            }
            out[d] = o;
        }
        return out;
    }

    /** Output spatial shape of a transposed window: stride*(in-1) + output_padding + dilated kernel - pads. */
    long[] transposedOutputShape(long[] inSpatial, long[] outputPadding) {
        long[] out = new long[kernel.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = strides[d] * (inSpatial[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1
                    - padBegin[d] - padEnd[d];
        }
        return out;
    }

    int kernelSize() {
        return (int) Shapes.product(kernel);
    }

    /**
     * For each position of {@code strided} (row-major) and each kernel position (row-major), the row-major
     * offset into {@code dense} where they meet, or -1 when that falls outside {@code dense}.
     */
    int[] table(long[] strided, long[] dense) {
        int nd = kernel.length;
        int ks = kernelSize();
        int ss = (int) Shapes.product(strided);
        int[] denseStr = Shapes.strides(dense);
        int[] t = new int[ss * ks];
        int[] o = new int[nd];
        int[] k = new int[nd];
        for (int p = 0; p < ss; p++) {
            Shapes.unravel(p, strided, o);
            for (int q = 0; q < ks; q++) {
                Shapes.unravel(q, kernel, k);
                int off = 0;
                for (int d = 0; d < nd; d++) {
                    long c = o[d] * strides[d] - padBegin[d] + k[d] * dilations[d];
                    if (c < 0 || c >= dense[d]) {
                        off = -1;
                        break;
                    }
                    off += (int) c * denseStr[d];
                }
                t[p * ks + q] = off;
            }
        }
        return t;
    }
}
