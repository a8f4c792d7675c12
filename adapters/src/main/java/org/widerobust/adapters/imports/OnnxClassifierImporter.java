package org.widerobust.adapters.imports;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.OpsetUpgrade;
import org.widerobust.descriptors.graph.ShapeInference;
import org.widerobust.descriptors.network.Network;

/**
 * Loads an ONNX classifier as a {@link Network}.
 *
 * <p>The model must have exactly one graph input that is not an initializer, of type float, with a fully
 * static example shape after the (symbolic or fixed) batch dimension, and a float output of rank 2
 * {@code [batch, classes]} (the logits; see {@link #fromModel(Path, ModelProto, float[], String)} for how one
 * of several outputs is chosen). The default-domain opset must be at least 11; 11 and 12 are upgraded to 13.
 *
 * <p>Parameters are the float initializers of rank &ge; 1 that Conv, ConvTranspose, Gemm, MatMul, Add, PRelu
 * or BatchNormalization (scale and bias, not the running statistics) consume, in the order the nodes first use
 * them. Batch normalisation stays in inference form ({@link Network#batchNorms()} is empty).
 */
public final class OnnxClassifierImporter {
    private static final Logger LOG = Logger.getLogger(OnnxClassifierImporter.class.getName());
    /** The lowest default-domain opset accepted. */
    public static final int MIN_OPSET = 11;
    private static final float[] UNIT_BOUNDS = {0f, 1f};

    private OnnxClassifierImporter() {}

    /** Loads a classifier whose inputs lie in [0, 1]; warnings are logged. */
    public static Network load(Path file) {
        return load(file, UNIT_BOUNDS);
    }

    /** Loads a classifier whose inputs lie in {@code bounds = {min, max}}; warnings are logged. */
    public static Network load(Path file, float[] bounds) {
        ImportedModel m = loadWithWarnings(file, bounds);
        for (String w : m.warnings()) {
            LOG.warning(file + ": " + w);
        }
        return m.network();
    }

    /** Loads a classifier whose inputs lie in [0, 1], returning the warnings instead of logging them. */
    public static ImportedModel loadWithWarnings(Path file) {
        return loadWithWarnings(file, UNIT_BOUNDS);
    }

    /**
     * Loads a classifier, returning the warnings instead of logging them.
     *
     * @throws ImportException naming the file, if it cannot be read or is not a usable classifier
     */
    public static ImportedModel loadWithWarnings(Path file, float[] bounds) {
        return loadWithWarnings(file, bounds, null);
    }

    /**
     * Loads a classifier whose logits are the graph output {@code outputName} (null: chosen as described in
     * {@link #fromModel(Path, ModelProto, float[], String)}), returning the warnings instead of logging them.
     *
     * @throws ImportException naming the file, if it cannot be read or is not a usable classifier
     */
    public static ImportedModel loadWithWarnings(Path file, float[] bounds, String outputName) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        checkBounds(file, bounds);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImportException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ImportException(file, "cannot read the file: permission denied", e);
        } catch (IOException e) {
            throw new ImportException(file, "cannot read the file: " + e, e);
        }
        if (bytes.length == 0) {
            throw new ImportException(file, "the file is empty, not an ONNX model");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(file, "not an ONNX model (the protobuf ModelProto cannot be parsed, the file "
                    + "may be truncated or corrupt: " + e.getMessage() + ")", e);
        }
        return fromModel(file, model, bounds, outputName);
    }

    /**
     * Checks an in-memory model as {@link #loadWithWarnings(Path, float[])} would.
     *
     * @param source a name for messages (usually the file it came from)
     */
    public static ImportedModel fromModel(Path source, ModelProto model, float[] bounds) {
        return fromModel(source, model, bounds, null);
    }

    /**
     * Checks an in-memory model and prepares it for attacks.
     * <ul>
     *   <li>The logits are the output {@code outputName} if given, else the output named {@code logits} (any case),
     *       else the only float output of shape {@code [N, K]}; otherwise an error lists the outputs.</li>
     *   <li>A final Softmax or LogSoftmax is recognised: the logits before it are attacked (with a warning).</li>
     *   <li>The graph keeps only the nodes the logits need, and the logits as its one output.</li>
     *   <li>A training-mode BatchNormalization is an error (export with {@code model.eval()}); a training-mode
     *       Dropout is turned into inference, with a warning.</li>
     *   <li>Opset 11 and 12 graphs are upgraded to 13 ({@link OpsetUpgrade}) where every op keeps its meaning;
     *       otherwise they stay as they are (the differentiator then names the op).</li>
     * </ul>
     *
     * @param source     a name for messages (usually the file it came from)
     * @param outputName the graph output holding the logits, or null to choose as above
     */
    public static ImportedModel fromModel(Path source, ModelProto model, float[] bounds, String outputName) {
        checkBounds(source, bounds);
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ImportException(source, "not an ONNX model (it has no graph nodes; the file may be corrupt)");
        }
        if (model.getIrVersion() <= 0) {
            throw new ImportException(source, "not an ONNX model (no ir_version; the file may be corrupt)");
        }
        int opset = GraphBuilder.opsetOf(model);
        boolean declared = model.getOpsetImportList().stream()
                .anyMatch(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"));
        if (!declared) {
            throw new ImportException(source, "the model imports no ai.onnx opset; opset >= " + MIN_OPSET
                    + " is required");
        }
        if (opset < MIN_OPSET) {
            throw new ImportException(source, "unsupported opset " + opset + "; opset >= " + MIN_OPSET
                    + " is required (re-export the model with a newer opset_version)");
        }
        GraphProto g = model.getGraph();
        List<String> warnings = new ArrayList<>();

        // ---- input
        Map<String, TensorProto> init = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            init.put(t.getName(), t);
        }
        List<ValueInfoProto> realInputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!init.containsKey(v.getName())) {
                realInputs.add(v);
            }
        }
        if (realInputs.isEmpty()) {
            throw new ImportException(source, "the graph has no input (every declared input is an initializer)");
        }
        if (realInputs.size() > 1) {
            List<String> names = new ArrayList<>();
            for (ValueInfoProto v : realInputs) {
                names.add(v.getName() + describe(v));
            }
            throw new ImportException(source, "the graph has " + realInputs.size() + " inputs " + names
                    + "; a classifier must have exactly one (the image batch)");
        }
        ValueInfoProto input = realInputs.get(0);
        int inType = elemType(input);
        if (inType != DataType.FLOAT.getNumber()) {
            throw new ImportException(source, "no float input: input '" + input.getName() + "' has element type "
                    + typeName(inType) + "; a float32 input is required");
        }
        if (!input.getType().getTensorType().hasShape()) {
            throw new ImportException(source, "input '" + input.getName() + "' has no declared shape; cannot tell "
                    + "the example shape");
        }
        TensorShapeProto inShape = input.getType().getTensorType().getShape();
        if (inShape.getDimCount() < 2) {
            throw new ImportException(source, "input '" + input.getName() + "' has rank " + inShape.getDimCount()
                    + "; expected [batch, ...] with rank >= 2");
        }
        long[] exampleShape = new long[inShape.getDimCount() - 1];
        for (int i = 1; i < inShape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = inShape.getDim(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                throw new ImportException(source, "input '" + input.getName() + "' " + describe(input)
                        + ": dimension " + i + " is not a fixed size; only the first (batch) dimension may be "
                        + "symbolic");
            }
            exampleShape[i - 1] = d.getDimValue();
        }
        TensorShapeProto.Dimension batch = inShape.getDim(0);
        if (batch.hasDimValue() && batch.getDimValue() > 0) {
            warnings.add("input '" + input.getName() + "' has a fixed batch dimension of " + batch.getDimValue()
                    + "; every batch is split or padded to that size");
        }

        // ---- output
        if (g.getOutputCount() == 0) {
            throw new ImportException(source, "the graph has no output");
        }
        ValueInfoProto logits = chooseOutput(source, g, outputName);
        if (elemType(logits) != DataType.FLOAT.getNumber()) {
            throw new ImportException(source, "output '" + logits.getName() + "' has element type "
                    + typeName(elemType(logits)) + "; float32 logits are required");
        }
        if (rank(logits) != 2) {
            String r = rank(logits) < 0 ? "no declared shape" : "rank " + rank(logits);
            throw new ImportException(source, "output '" + logits.getName() + "' " + describe(logits) + " has " + r
                    + "; a classifier's output must be the logits [batch, classes]");
        }
        TensorShapeProto.Dimension classes = logits.getType().getTensorType().getShape().getDim(1);
        if (!classes.hasDimValue() || classes.getDimValue() < 2) {
            throw new ImportException(source, "output '" + logits.getName() + "' " + describe(logits)
                    + ": the class dimension must be a fixed size >= 2");
        }
        int numClasses = Math.toIntExact(classes.getDimValue());

        // ---- the node producing the logits: attack before a final Softmax / LogSoftmax
        String logitsName = logits.getName();
        Map<String, NodeProto> producers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            n.getOutputList().forEach(o -> producers.put(o, n));
        }
        NodeProto last = producers.get(logitsName);
        while (last != null && last.getOpType().equals("Identity")) {
            last = producers.get(last.getInput(0));
        }
        if (last != null && (last.getOpType().equals("Softmax") || last.getOpType().equals("LogSoftmax"))) {
            String op = last.getOpType();
            ShapeInference si = ShapeInference.of(model);
            String before = last.getInput(0);
            boolean overClasses = si.hasShape(before) && si.shape(before).length == 2
                    && Math.floorMod(Attr.getInt(last, "axis", opset >= 13 ? -1 : 1), 2) == 1;
            if (overClasses) {
                warnings.add("the output '" + logitsName + "' is the " + op + " of '" + before + "'; "
                        + "widerobust attacks the logits before the final " + op);
                logitsName = before;
            }
        } else if (last != null && last.getOpType().equals("Sigmoid")) {
            warnings.add("the output '" + logitsName + "' is produced by Sigmoid, so it already looks like "
                    + "probabilities, not logits; attacks and losses that apply softmax will apply it twice "
                    + "(export the model without the final Sigmoid)");
        }

        // ---- training-mode exports, the logits alone as output, opset upgrade
        model = GraphCleanup.keepOnly(model, logitsName, logits.getType());
        g = model.getGraph();
        model = GraphCleanup.inferenceDropout(model, warnings);
        GraphCleanup.refuseTrainingBatchNorm(source, model);
        if (opset < OpsetUpgrade.TARGET) {
            OpsetUpgrade.Result up = OpsetUpgrade.toOpset13(model);
            if (up.model() != null) {
                model = up.model();
            } else {
                List<String> why = new ArrayList<>();
                up.refusals().forEach((n, r) -> why.add(n.getOpType() + " (node '" + n.getName() + "'): " + r));
                warnings.add("opset " + opset + " graph kept as exported: " + String.join("; ", why));
            }
        }
        g = model.getGraph();

        // ---- parameters
        Set<String> excluded = new HashSet<>();
        Set<String> params = new LinkedHashSet<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("BatchNormalization")) {
                for (int i = 3; i < n.getInputCount(); i++) {
                    excluded.add(n.getInput(i));
                }
            }
        }
        for (NodeProto n : g.getNodeList()) {
            int[] positions = weightPositions(n);
            for (int i : positions) {
                if (i >= n.getInputCount()) {
                    continue;
                }
                String name = n.getInput(i);
                TensorProto t = init.get(name);
                if (t != null && !excluded.contains(name) && t.getDataType() == DataType.FLOAT.getNumber()
                        && t.getDimsCount() >= 1) {
                    params.add(name);
                }
            }
        }
        if (params.isEmpty()) {
            warnings.add("no float weights found among the initializers of Conv, Gemm, MatMul, Add, "
                    + "BatchNormalization nodes; the network has no trainable parameters");
        }
        Network net = new Network(displayName(source), model, input.getName(), logitsName,
                exampleShape, numClasses, new ArrayList<>(params), List.of(), bounds);
        return new ImportedModel(net, warnings);
    }

    /**
     * The output holding the logits: {@code wanted} if given; else the one named {@code logits} (any case); else
     * the only float output of rank 2. Anything else is an error listing the outputs.
     */
    private static ValueInfoProto chooseOutput(Path source, GraphProto g, String wanted) {
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) {
            outputs.add(v.getName() + describe(v));
        }
        if (wanted != null) {
            for (ValueInfoProto v : g.getOutputList()) {
                if (v.getName().equals(wanted)) {
                    return v;
                }
            }
            throw new ImportException(source, "no output named '" + wanted + "'; the outputs are " + outputs);
        }
        if (g.getOutputCount() == 1) {
            return g.getOutput(0);
        }
        for (ValueInfoProto v : g.getOutputList()) {
            if (v.getName().equalsIgnoreCase("logits")) {
                return v;
            }
        }
        List<ValueInfoProto> candidates = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) {
            if (rank(v) == 2 && elemType(v) == DataType.FLOAT.getNumber()) {
                candidates.add(v);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw new ImportException(source, "cannot tell which of the outputs " + outputs + " are the logits "
                + "(none is named 'logits' and " + (candidates.isEmpty() ? "none" : candidates.size()) + " are float "
                + "[batch, classes]); choose one with --output NAME");
    }

    /** {@code parent/file.onnx}: exporters often name every file {@code model.onnx}. */
    private static String displayName(Path source) {
        Path name = source.getFileName();
        if (name == null) {
            return source.toString();
        }
        Path parent = source.toAbsolutePath().getParent();
        return parent != null && parent.getFileName() != null ? parent.getFileName() + "/" + name : name.toString();
    }

    /** Which inputs of a node are weights. */
    private static int[] weightPositions(NodeProto n) {
        switch (n.getOpType()) {
            case "Conv":
            case "ConvTranspose":
            case "Gemm":
                return new int[] {1, 2};
            case "MatMul":
            case "Add":
                return new int[] {0, 1};
            case "PRelu":
                return new int[] {1};
            case "BatchNormalization":
                return new int[] {1, 2};
            default:
                return new int[0];
        }
    }

    private static void checkBounds(Path source, float[] bounds) {
        if (bounds == null || bounds.length != 2 || !(bounds[0] < bounds[1]) || Float.isNaN(bounds[0])
                || Float.isNaN(bounds[1])) {
            throw new IllegalArgumentException("input bounds must be {min, max} with min < max, got "
                    + java.util.Arrays.toString(bounds) + " for " + source);
        }
    }

    private static int elemType(ValueInfoProto v) {
        return v.getType().hasTensorType() ? v.getType().getTensorType().getElemType() : 0;
    }

    private static int rank(ValueInfoProto v) {
        return v.getType().hasTensorType() && v.getType().getTensorType().hasShape()
                ? v.getType().getTensorType().getShape().getDimCount() : -1;
    }

    private static String typeName(int t) {
        DataType d = DataType.forNumber(t);
        return d == null ? "type " + t : d.name();
    }

    private static String describe(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return "[?]";
        }
        StringBuilder b = new StringBuilder("[");
        TensorShapeProto s = v.getType().getTensorType().getShape();
        for (int i = 0; i < s.getDimCount(); i++) {
            TensorShapeProto.Dimension d = s.getDim(i);
            b.append(i > 0 ? ", " : "").append(d.hasDimValue() ? Long.toString(d.getDimValue())
                    : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
        }
        return b.append(']').toString();
    }
}
