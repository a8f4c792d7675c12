#!/usr/bin/python3
"""Writes two ONNX graphs that compute smallcnn's four convolution weight gradients from the layers' inputs x and
output gradients dY, one per formulation, for bench/OrtGraphTimer.java (docs/benchmarks.md, issue 12):

  slices  the differentiator's rule (descriptors' ConvRules): one Gemm per kernel offset over a strided Slice of x
          with batch and channel axes swapped, as the parameter pass runs it;
  conv    one Conv per layer: x with batch and channel swapped [CI, N, H, W] convolved with dY likewise swapped
          [CO, N, H', W'] as the kernel, giving [CI, CO, 3, 3] (ONNX Runtime's im2col happens inside the kernel).

    bench/weight_gradient_forms.py WIDTH OUTDIR    # e.g. 1 /tmp/wg: writes /tmp/wg/slices_k1.onnx, /tmp/wg/conv_k1.onnx
Needs Debian's python3-onnx.
"""
import os
import sys

try:
    import onnx
    from onnx import TensorProto, helper
except ImportError:
    sys.exit("weight_gradient_forms.py: needs python3-onnx (apt-get install python3-onnx)")

BATCH = 128


def layers(k):
    """smallcnn's 3x3 convolutions on [1, 28, 28]: (input channels, output channels, input side)."""
    c1, c2 = max(1, round(32 * k)), max(1, round(64 * k))
    return [(1, c1, 28), (c1, c1, 26), (c1, c2, 12), (c2, c2, 10)]


def graph(form, k):
    nodes, inits, inputs, outputs = [], [], [], []

    def const(values):
        name = f"c{len(inits)}"
        inits.append(helper.make_tensor(name, TensorProto.INT64, [len(values)], values))
        return name

    for i, (ci, co, side) in enumerate(layers(k)):
        out_side = side - 2
        x, dy, dw, p = f"x{i}", f"dy{i}", f"dw{i}", f"l{i}_"
        inputs += [helper.make_tensor_value_info(x, TensorProto.FLOAT, [BATCH, ci, side, side]),
                   helper.make_tensor_value_info(dy, TensorProto.FLOAT, [BATCH, co, out_side, out_side])]
        outputs.append(helper.make_tensor_value_info(dw, TensorProto.FLOAT, [co, ci, 3, 3]))
        nodes.append(helper.make_node("Transpose", [x], [p + "xt"], perm=[1, 0, 2, 3]))
        if form == "slices":
            nodes.append(helper.make_node("Reshape", [dy, const([0, co, -1])], [p + "dy3"]))
            nodes.append(helper.make_node("Transpose", [p + "dy3"], [p + "dy3t"], perm=[0, 2, 1]))
            nodes.append(helper.make_node("Reshape", [p + "dy3t", const([-1, co])], [p + "rows"]))
            axes, steps, shape = const([2, 3]), const([1, 1]), const([ci, -1])
            per_offset = []
            for kh in range(3):
                for kw in range(3):
                    s = f"{p}s{kh}{kw}"
                    nodes.append(helper.make_node("Slice", [p + "xt", const([kh, kw]),
                                                            const([kh + out_side, kw + out_side]), axes, steps], [s]))
                    nodes.append(helper.make_node("Reshape", [s, shape], [s + "r"]))
                    nodes.append(helper.make_node("Gemm", [s + "r", p + "rows"], [s + "g"]))
                    per_offset.append(s + "g")
            nodes.append(helper.make_node("Concat", per_offset, [p + "cat"], axis=0))
            nodes.append(helper.make_node("Reshape", [p + "cat", const([9, ci, co])], [p + "kio"]))
            nodes.append(helper.make_node("Transpose", [p + "kio"], [p + "oik"], perm=[2, 1, 0]))
            nodes.append(helper.make_node("Reshape", [p + "oik", const([co, ci, 3, 3])], [dw]))
        else:
            nodes.append(helper.make_node("Transpose", [dy], [p + "dyt"], perm=[1, 0, 2, 3]))
            nodes.append(helper.make_node("Conv", [p + "xt", p + "dyt"], [p + "io"],
                                          kernel_shape=[out_side, out_side]))
            nodes.append(helper.make_node("Transpose", [p + "io"], [dw], perm=[1, 0, 2, 3]))
    model = helper.make_model(helper.make_graph(nodes, form, inputs, outputs, inits),
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: weight_gradient_forms.py WIDTH OUTDIR")
    try:
        k = float(argv[0])
    except ValueError:
        sys.exit(f"weight_gradient_forms.py: WIDTH must be a number, got '{argv[0]}'")
    if not k > 0:
        sys.exit(f"weight_gradient_forms.py: WIDTH must be positive, got {argv[0]}")
    if not os.path.isdir(argv[1]):
        sys.exit(f"weight_gradient_forms.py: OUTDIR {argv[1]} is not a directory")
    for form in ("slices", "conv"):
        path = os.path.join(argv[1], f"{form}_k{k:g}.onnx")
        onnx.save(graph(form, k), path)
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
