package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.NodeProto;

/**
 * The resolved window geometry of a Conv or pooling node over given input spatial sizes: kernel, strides,
 * dilations, explicit begin/end pads (auto_pad resolved) and output sizes. One home for the ONNX size rule.
 *
 * @param kernel    kernel size per spatial axis
 * @param strides   strides
 * @param dilations dilations
 * @param padBegin  padding at the start of each axis
 * @param padEnd    padding at the end of each axis
 * @param input     input spatial sizes
 * @param output    output spatial sizes
 */
public record SpatialGeometry(long[] kernel, long[] strides, long[] dilations, long[] padBegin, long[] padEnd,
                              long[] input, long[] output) {

    /** Resolves the geometry of {@code node} with the given kernel (from the weight or the attribute). */
    public static SpatialGeometry of(NodeProto node, long[] kernel, long[] inputSpatial) {
        int r = inputSpatial.length;
        long[] strides = Attr.getInts(node, "strides", Attr.repeat(1, r));
        long[] dil = Attr.getInts(node, "dilations", Attr.repeat(1, r));
        boolean ceil = Attr.getInt(node, "ceil_mode", 0) == 1;
        String autoPad = Attr.getString(node, "auto_pad", "NOTSET");
        long[] pads = Attr.getInts(node, "pads", new long[2 * r]);
        long[] begin = new long[r];
        long[] end = new long[r];
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long eff = (kernel[i] - 1) * dil[i] + 1;
            switch (autoPad) {
                case "NOTSET" -> {
                    begin[i] = pads[i];
                    end[i] = pads[i + r];
                }
                case "VALID" -> { }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    long o = (inputSpatial[i] + strides[i] - 1) / strides[i];
                    long total = Math.max(0, (o - 1) * strides[i] + eff - inputSpatial[i]);
                    long small = total / 2;
                    begin[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    end[i] = total - begin[i];
                }
                default -> throw new GraphException("node '" + node.getName() + "' (" + node.getOpType()
                        + "): unknown auto_pad " + autoPad);
            }
            long span = inputSpatial[i] + begin[i] + end[i] - eff;
            out[i] = (ceil ? Math.floorDiv(span + strides[i] - 1, strides[i]) : Math.floorDiv(span, strides[i])) + 1;
            if (ceil && (out[i] - 1) * strides[i] >= inputSpatial[i] + begin[i]) {
                out[i]--;
            }
            if (out[i] <= 0) {
                throw new GraphException("node '" + node.getName() + "' (" + node.getOpType() + "): input size "
                        + inputSpatial[i] + " is too small for kernel " + kernel[i] + " on spatial axis " + i);
            }
        }
        return new SpatialGeometry(kernel, strides, dil, begin, end, inputSpatial, out);
    }

    /** Whether windows never overlap and cover each input element at most once. */
    public boolean nonOverlapping() {
        for (int i = 0; i < kernel.length; i++) {
            if ((kernel[i] - 1) * dilations[i] + 1 > strides[i]) {
                return false;
            }
        }
        return true;
    }

    /** Explicit pads in ONNX order (all begins, then all ends). */
    public long[] pads() {
        long[] p = new long[2 * kernel.length];
        System.arraycopy(padBegin, 0, p, 0, kernel.length);
        System.arraycopy(padEnd, 0, p, kernel.length, kernel.length);
        return p;
    }

    /**
     * The ConvTranspose output_padding that maps the output back to exactly the input size (the input rows that
     * no window reached at the end).
     */
    public long[] transposeOutputPadding() {
        long[] op = new long[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            long eff = (kernel[i] - 1) * dilations[i] + 1;
            op[i] = input[i] - ((output[i] - 1) * strides[i] + eff - padBegin[i] - padEnd[i]);
        }
        return op;
    }
}
