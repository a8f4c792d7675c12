package org.widerobust.descriptors.network;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

/**
 * WideResNet-D-k ({@code wrn}) as in Zagoruyko and Komodakis and TRADES' {@code models/wideresnet.py}, without
 * dropout. With n = (D - 4) / 6: conv1 3×3 (16), then three groups of n pre-activation basic blocks of widths 16k,
 * 32k, 64k whose first blocks have strides 1, 2, 2, then BN, ReLU, global average pooling, flatten and fc (classes).
 * <p>
 * Block {@code blockG.I} (G = 1..3, I = 0..n-1) computes {@code a = relu(bn1(x))},
 * {@code h = conv2(relu(bn2(conv1(a))))} (3×3, padding 1, conv1 carries the stride) and returns {@code h + x}, or
 * {@code h + convShortcut(a)} (1×1, same stride) when its input and output widths differ (or, only possible for tiny
 * fractional k, the stride is not 1). Convolutions have no bias. Spatial sizes go H, ⌈H/2⌉, ⌈H/4⌉: 32, 16, 8 for
 * CIFAR and 28, 14, 7 for Fashion-MNIST.
 * <p>
 * Initialisation follows TRADES: convolution weights N(0, 2 / (kernel area · out channels)), BN scale 1 and shift
 * 0, fc weight PyTorch's default U(±1/sqrt(fan_in)) and fc bias 0. Parameter names follow the TRADES state dict
 * without its {@code .layer} level: {@code conv1.weight}, {@code block2.0.bn1.weight}, {@code block2.0.conv1.weight},
 * {@code block2.0.convShortcut.weight}, {@code bn1.weight} (the final BN), {@code fc.weight}, {@code fc.bias}, and the
 * running statistics {@code ....running_mean} and {@code ....running_var}.
 */
public final class WideResNetDescriptor extends NetworkDescriptor {
    /** The family name. */
    public static final String FAMILY = "wrn";

    @Config(description = "Depth D = 6n + 4 (n blocks per group), e.g. 16, 28, 34.")
    private int depth = 34;

    /** For OLCUT: WRN-34-10 unless configured otherwise. */
    public WideResNetDescriptor() {
        super(10);
    }

    /** WRN-{@code depth}-{@code width}. */
    public WideResNetDescriptor(int depth, double width) {
        super(width);
        this.depth = depth;
        postConfig();
    }

    @Override
    public void postConfig() {
        super.postConfig();
        if (depth < 10 || (depth - 4) % 6 != 0) {
            throw new PropertyException("", "depth", "WideResNet depth must be 6n + 4 with n >= 1 "
                    + "(10, 16, 22, 28, 34, 40, ...), got " + depth);
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** The depth D. */
    public int depth() {
        return depth;
    }

    /** Blocks per group, n = (D - 4) / 6. */
    public int blocksPerGroup() {
        return (depth - 4) / 6;
    }

    /** {@code wrn-D-k}, e.g. {@code wrn-34-10}. */
    @Override
    public String describe() {
        return FAMILY + "-" + depth + "-" + format(width());
    }

    @Override
    LayerBuilder.Value layers(LayerBuilder b, int numClasses) {
        int[] widths = {scaled(16), scaled(32), scaled(64)};
        LayerBuilder.Value x = conv(b, b.input(), "conv1", 16, 3, 1);
        int in = 16;
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < blocksPerGroup(); i++) {
                x = block(b, x, "block" + (g + 1) + "." + i, in, widths[g], i == 0 && g > 0 ? 2 : 1);
                in = widths[g];
            }
        }
        x = b.flatten(b.globalAveragePool(b.relu(b.batchNorm(x, "bn1"))));
        return b.linear(x, "fc", numClasses, Init.pytorchDefault(in), Init.constant(0));
    }

    private static LayerBuilder.Value block(LayerBuilder b, LayerBuilder.Value x, String name, int in, int out,
                                            int stride) {
        LayerBuilder.Value a = b.relu(b.batchNorm(x, name + ".bn1"));
        LayerBuilder.Value h = conv(b, a, name + ".conv1", out, 3, stride);
        h = conv(b, b.relu(b.batchNorm(h, name + ".bn2")), name + ".conv2", out, 3, 1);
        boolean project = in != out || stride != 1;
        return b.add(project ? conv(b, a, name + ".convShortcut", out, 1, stride) : x, h);
    }

    private static LayerBuilder.Value conv(LayerBuilder b, LayerBuilder.Value x, String name, int out, int kernel,
                                           int stride) {
        Init init = Init.normal(Math.sqrt(2.0 / (kernel * kernel * out)));
        return b.conv(x, name, out, kernel, stride, (kernel - 1) / 2, init, null);
    }
}
