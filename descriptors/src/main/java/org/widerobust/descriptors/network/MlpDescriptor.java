package org.widerobust.descriptors.network;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.Arrays;

/**
 * A multilayer perceptron ({@code mlp}): Flatten, then for each hidden size h a Linear(h·k) and ReLU, then
 * Linear(classes). Any example shape works; it is flattened. Linear layers are Gemm nodes with weights
 * {@code [out, in]} and transB=1, named {@code fc1 ... fcL+1}, initialised like PyTorch's {@code nn.Linear}.
 */
public final class MlpDescriptor extends NetworkDescriptor {
    /** The family name. */
    public static final String FAMILY = "mlp";

    private static final int[] DEFAULT_HIDDEN = {256, 256};

    @Config(description = "Hidden layer sizes at width 1.")
    private int[] hiddenSizes = DEFAULT_HIDDEN.clone();

    /** For OLCUT. */
    public MlpDescriptor() {}

    /** Hidden sizes {256, 256} times {@code width}. */
    public MlpDescriptor(double width) {
        this(width, DEFAULT_HIDDEN);
    }

    /** The given hidden sizes (at width 1) times {@code width}. */
    public MlpDescriptor(double width, int... hiddenSizes) {
        super(width);
        this.hiddenSizes = hiddenSizes.clone();
        postConfig();
    }

    @Override
    public void postConfig() {
        super.postConfig();
        if (hiddenSizes == null || Arrays.stream(hiddenSizes).anyMatch(h -> h <= 0)) {
            throw new PropertyException("", "hiddenSizes", "hidden sizes must be positive, got "
                    + Arrays.toString(hiddenSizes));
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** The hidden sizes at width 1. */
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    /** {@code mlp(k=1)} for the default hidden sizes, otherwise e.g. {@code mlp[512-128](k=1)}. */
    @Override
    public String describe() {
        if (Arrays.equals(hiddenSizes, DEFAULT_HIDDEN)) {
            return super.describe();
        }
        StringBuilder s = new StringBuilder(FAMILY).append('[');
        for (int i = 0; i < hiddenSizes.length; i++) {
            s.append(i == 0 ? "" : "-").append(hiddenSizes[i]);
        }
        return s.append("](k=").append(format(width())).append(')').toString();
    }

    @Override
    LayerBuilder.Value layers(LayerBuilder b, int numClasses) {
        LayerBuilder.Value x = b.flatten(b.input());
        for (int i = 0; i < hiddenSizes.length; i++) {
            x = b.relu(b.linear(x, "fc" + (i + 1), scaled(hiddenSizes[i])));
        }
        return b.linear(x, "fc" + (hiddenSizes.length + 1), numClasses);
    }
}
