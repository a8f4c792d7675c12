package org.widerobust.descriptors.network;

/**
 * The TRADES MNIST network ({@code smallcnn}, yaodongyu/TRADES {@code models/small_cnn.py}) with every width
 * times k: conv1, conv2 3×3 (32k) with ReLU, 2×2 max-pool, conv3, conv4 3×3 (64k) with ReLU, 2×2 max-pool, flatten,
 * fc1, fc2 (200k) with ReLU, fc3 (classes). Convolutions are unpadded and biased; there is no dropout. A 1×28×28
 * input gives 64k·4·4 features; any [C, H, W] input works while every spatial size stays positive.
 * <p>
 * Initialisation follows TRADES' {@code SmallCNN}: Kaiming-normal convolution weights (fan-in, gain √2) with zero
 * biases, PyTorch's default for fc1 and fc2, and a zero fc3. PyTorch's default for the convolutions shrinks the
 * activations layer by layer, and SGD then sits at chance level for hundreds of steps.
 */
public final class SmallCnnDescriptor extends NetworkDescriptor {
    /** The family name. */
    public static final String FAMILY = "smallcnn";

    /** For OLCUT. */
    public SmallCnnDescriptor() {}

    /** The network with width factor {@code width}. */
    public SmallCnnDescriptor(double width) {
        super(width);
        postConfig();
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    LayerBuilder.Value layers(LayerBuilder b, int numClasses) {
        int narrow = scaled(32);
        int wide = scaled(64);
        int hidden = scaled(200);
        LayerBuilder.Value x = b.input();
        x = b.relu(kaimingConv(b, x, "conv1", narrow));
        x = b.relu(kaimingConv(b, x, "conv2", narrow));
        x = b.maxPool(x, "maxpool1", 2, 2);
        x = b.relu(kaimingConv(b, x, "conv3", wide));
        x = b.relu(kaimingConv(b, x, "conv4", wide));
        x = b.flatten(b.maxPool(x, "maxpool2", 2, 2));
        x = b.relu(b.linear(x, "fc1", hidden));
        x = b.relu(b.linear(x, "fc2", hidden));
        return b.linear(x, "fc3", numClasses, Init.constant(0f), Init.constant(0f));
    }

    /** An unpadded 3×3 convolution with Kaiming-normal weights and zero biases. */
    private static LayerBuilder.Value kaimingConv(LayerBuilder b, LayerBuilder.Value x, String name, int out) {
        long fanIn = x.shape()[0] * 9L;
        return b.conv(x, name, out, 3, 1, 0, Init.normal(Math.sqrt(2.0 / fanIn)), Init.constant(0f));
    }
}
