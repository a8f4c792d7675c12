package org.widerobust.descriptors.network;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.math.BigDecimal;
import java.util.Objects;

import org.widerobust.descriptors.graph.Shapes;

/**
 * A width-parameterised network family member: the recipe for building a {@link Network} for a given input shape
 * and class count. Descriptors are OLCUT {@link Configurable}s (a public no-arg constructor, {@code @Config} fields
 * validated in {@link #postConfig()}) and carry their configuration as provenance, like Tribuo's trainers.
 * <p>
 * Layer widths are the family's base widths times the width factor k, rounded, and at least 1. Building is
 * deterministic: the same descriptor, input shape, class count and seed give byte-identical models, and the
 * {@link Mode#INFERENCE} and {@link Mode#TRAINING} forms share parameter names and values.
 */
public abstract class NetworkDescriptor implements Configurable, Provenancable<ConfiguredObjectProvenance> {

    /** Which form of batch normalisation a network uses. Families without batch normalisation ignore it. */
    public enum Mode {
        /** Normalise with the running statistics (a BatchNormalization node). */
        INFERENCE,
        /** Normalise with the batch statistics, computed in elementary ops and exposed as graph outputs. */
        TRAINING
    }

    @Config(description = "Width factor k: every layer's width is its base width times k, rounded, at least 1.")
    private double width = 1.0;

    /** For OLCUT: the width is set by configuration. */
    protected NetworkDescriptor() {}

    /** Sets the width without validating it; subclasses call {@link #postConfig()} once all fields are set. */
    protected NetworkDescriptor(double width) {
        this.width = width;
    }

    /** The family name, e.g. {@code smallcnn}. */
    public abstract String family();

    /** The width factor k. */
    public double width() {
        return width;
    }

    /** A short readable name, e.g. {@code smallcnn(k=2)}. */
    public String describe() {
        return family() + "(k=" + format(width) + ")";
    }

    /**
     * Builds the network with seeded initial parameters.
     *
     * @param exampleShape the shape of one example without the batch dimension, e.g. {@code [1, 28, 28]}
     * @param numClasses   the number of logits
     * @param seed         the initialisation seed
     * @param mode         the batch-normalisation form
     * @throws IllegalArgumentException if the shape does not suit the family (naming the shape)
     */
    public Network build(long[] exampleShape, int numClasses, long seed, Mode mode) {
        checkArguments(exampleShape, numClasses);
        LayerBuilder b = LayerBuilder.emitting(describe(), exampleShape, seed, Objects.requireNonNull(mode, "mode"));
        return b.finish(layers(b, numClasses), numClasses);
    }

    /** The parameter count and per-example multiply-adds, computed from shapes alone (no weights are drawn). */
    public CostReport cost(long[] exampleShape, int numClasses) {
        checkArguments(exampleShape, numClasses);
        LayerBuilder b = LayerBuilder.costing(describe(), exampleShape);
        layers(b, numClasses);
        return b.cost();
    }

    /** Multiply-adds per example; see {@link CostReport#multiplyAdds()}. */
    public long multiplyAdds(long[] exampleShape, int numClasses) {
        return cost(exampleShape, numClasses).multiplyAdds();
    }

    /** The number of trainable scalars, equal to {@link Network#parameterCount()} of the built network. */
    public long parameterCount(long[] exampleShape, int numClasses) {
        return cost(exampleShape, numClasses).parameters();
    }

    @Override
    public void postConfig() {
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new PropertyException("", "width", "the width factor must be positive and finite, got " + width);
        }
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "NetworkDescriptor");
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Adds the layers after {@link LayerBuilder#input()} and returns the logits, the output of the last layer. */
    abstract LayerBuilder.Value layers(LayerBuilder b, int numClasses);

    /** {@code base × k}, rounded, at least 1. */
    int scaled(int base) {
        return (int) Math.max(1, Math.round(base * width));
    }

    static String format(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private void checkArguments(long[] exampleShape, int numClasses) {
        Objects.requireNonNull(exampleShape, "exampleShape");
        if (exampleShape.length == 0 || java.util.Arrays.stream(exampleShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException(describe() + ": example shape " + Shapes.str(exampleShape)
                    + " must have at least one dimension, all positive");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException(describe() + ": the number of classes must be positive, got "
                    + numClasses);
        }
    }
}
