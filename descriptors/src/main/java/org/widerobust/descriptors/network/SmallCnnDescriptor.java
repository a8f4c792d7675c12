package org.widerobust.descriptors.network;

/**
 * The TRADES MNIST network ({@code smallcnn}, yaodongyu/TRADES {@code models/small_cnn.py}) with every width
 * times k: conv1, conv2 3×3 (32k) with ReLU, 2×2 max-pool, conv3, conv4 3×3 (64k) with ReLU, 2×2 max-pool, flatten,
 * fc1, fc2 (200k) with ReLU, fc3 (classes). Convolutions are unpadded and biased; there is no dropout. A 1×28×28
 * input gives 64k·4·4 features; any [C, H, W] input works while every spatial size stays positive.
 * <p>
 * Initialisation is PyTorch's default for every layer ({@link Init#pytorchDefault}), not TRADES' (Kaiming-normal
 * convolutions with zero biases and a zero fc3).
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
        x = b.relu(b.conv(x, "conv1", narrow, 3, 1, 0));
        x = b.relu(b.conv(x, "conv2", narrow, 3, 1, 0));
        x = b.maxPool(x, "maxpool1", 2, 2);
        x = b.relu(b.conv(x, "conv3", wide, 3, 1, 0));
        x = b.relu(b.conv(x, "conv4", wide, 3, 1, 0));
        x = b.flatten(b.maxPool(x, "maxpool2", 2, 2));
        x = b.relu(b.linear(x, "fc1", hidden));
        x = b.relu(b.linear(x, "fc2", hidden));
        return b.linear(x, "fc3", numClasses);
    }
}
