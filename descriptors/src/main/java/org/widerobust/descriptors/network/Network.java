package org.widerobust.descriptors.network;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.graph.Tensors;

/**
 * A classifier as an ONNX forward graph: one float input {@code [N, exampleShape...]} and one logits output
 * {@code [N, numClasses]}. Parameters and buffers are initializers of {@link #model()}.
 *
 * @param name           a readable description, e.g. {@code smallcnn(k=2)} or the imported file name
 * @param model          the forward graph
 * @param input          the input value name
 * @param logits         the logits output name
 * @param exampleShape   the shape of one example, without the batch dimension
 * @param numClasses     the number of classes
 * @param parameters     the trainable initializers, in a stable order
 * @param batchNorms     batch-normalisation layers in training form (empty for inference-form graphs)
 * @param inputBounds    the valid input box {@code [min, max]} (for images, {@code [0, 1]})
 */
public record Network(String name, ModelProto model, String input, String logits, long[] exampleShape,
                      int numClasses, List<String> parameters, List<BatchNormStatistics> batchNorms,
                      float[] inputBounds) {

    /**
     * A batch-normalisation layer in training form: its batch statistics are graph outputs, and its running
     * statistics are initializers that the trainer updates.
     *
     * @param batchMean   output name of the batch mean, shape {@code [C]}
     * @param batchVar    output name of the biased batch variance, shape {@code [C]}
     * @param runningMean initializer name of the running mean
     * @param runningVar  initializer name of the running variance
     */
    public record BatchNormStatistics(String batchMean, String batchVar, String runningMean, String runningVar) {}

    public Network {
        parameters = List.copyOf(parameters);
        batchNorms = List.copyOf(batchNorms);
        exampleShape = exampleShape.clone();
        inputBounds = inputBounds.clone();
    }

    /** The input shape with the symbolic batch dimension first. */
    public long[] batchedInputShape() {
        long[] s = new long[exampleShape.length + 1];
        s[0] = Shapes.BATCH;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }

    /** Number of floats in one example. */
    public int exampleLength() {
        return Math.toIntExact(Shapes.size(exampleShape));
    }

    /** The initializers of the model by name. */
    public Map<String, TensorProto> initializers() {
        Map<String, TensorProto> m = new java.util.LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            m.put(t.getName(), t);
        }
        return m;
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        Map<String, TensorProto> init = initializers();
        long n = 0;
        for (String p : parameters) {
            n += Shapes.size(Tensors.dims(init.get(p)));
        }
        return n;
    }

    /** Copies the current value of each parameter out of the model. */
    public List<float[]> parameterValues() {
        Map<String, TensorProto> init = initializers();
        List<float[]> out = new ArrayList<>();
        for (String p : parameters) {
            out.add(Tensors.toFloats(init.get(p)));
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " input " + input + Shapes.str(batchedInputShape()) + " -> " + logits + "[N, " + numClasses
                + "], " + parameters.size() + " parameter tensors, bounds " + Arrays.toString(inputBounds);
    }
}
