package org.widerobust.plugin.train;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.interop.onnx.DenseTransformer;
import org.tribuo.interop.onnx.LabelTransformer;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.WiderobustVersion;
import org.widerobust.plugin.report.JsonReports;

/**
 * Exports a {@link NetworkModel} as ONNX in Tribuo's classifier convention, as Tribuo's own exporters do
 * ({@code LinearSGDModel.exportONNXModel}): input {@code input [N, F]} (features in the model's tensor order),
 * output {@code output [N, K]} of softmax probabilities in label-id order, the model's provenance in the
 * {@value ONNXExportable#PROVENANCE_METADATA_FIELD} metadata field (Tribuo's protobuf provenance serialization),
 * domain, model version, producer {@code widerobust} with its version, and the doc string. The network keeps its
 * own opset and IR version. widerobust also records {@value #FEATURES_KEY}, {@value #LABELS_KEY},
 * {@value #DOMAIN_KEY} and {@value #SCALE_KEY}, so that {@link #toExternalModel(Path)} can build an
 * {@link ONNXExternalModel} from the file alone.
 * <p>
 * The exported file stays attackable: widerobust's model loader recognises the final Softmax and attacks the logits
 * before it.
 */
public final class NetworkModelExport {
    /** Metadata key: the feature names in input order, one per line. */
    public static final String FEATURES_KEY = "widerobust.feature_names";
    /** Metadata key: the label names in output order, one per line. */
    public static final String LABELS_KEY = "widerobust.label_names";
    /** Metadata key: the declared input domain (see {@link NetworkModel#inputDomain()}), comma separated. */
    public static final String DOMAIN_KEY = "widerobust.input_domain";
    /** Metadata key: the factor applied to the features inside the graph (1 for none). */
    public static final String SCALE_KEY = "widerobust.input_scale";
    /** The default domain of exported models. */
    public static final String DEFAULT_DOMAIN = "org.widerobust";

    private NetworkModelExport() {}

    static OnnxMl.ModelProto exportModel(NetworkModel model, String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("widerobust-" + model.network().name());
        ONNXPlaceholder input = ctx.floatInput("input", model.featureNames().size());
        ONNXPlaceholder output = ctx.floatOutput("output", model.labelNames().size());
        writeGraph(model, input).assignTo(output);
        OnnxMl.ModelProto net = model.network().model();
        OnnxMl.ModelProto.Builder b = ONNXExportable.buildModel(ctx, domain, modelVersion, model).toBuilder()
                .setProducerName("widerobust")
                .setProducerVersion(WiderobustVersion.VERSION)
                .setIrVersion(Math.max(net.getIrVersion(), 7))
                .clearOpsetImport()
                .addAllOpsetImport(net.getOpsetImportList());
        b.addMetadataProps(entry(FEATURES_KEY, String.join("\n", model.featureNames())));
        b.addMetadataProps(entry(LABELS_KEY, String.join("\n", model.labelNames())));
        StringBuilder d = new StringBuilder();
        for (float v : model.inputDomain()) {
            d.append(d.length() == 0 ? "" : ",").append(v);
        }
        b.addMetadataProps(entry(DOMAIN_KEY, d.toString()));
        b.addMetadataProps(entry(SCALE_KEY, Float.toString(model.inputScale())));
        return b.build();
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Writes {@code exportModel(DEFAULT_DOMAIN, 1)} to a file, atomically. */
    public static void write(NetworkModel model, Path file) throws IOException {
        JsonReports.writeAtomically(file, model.exportONNXModel(DEFAULT_DOMAIN, 1).toByteArray());
    }

    static ONNXNode writeGraph(NetworkModel model, ONNXRef<?> input) {
        ONNXContext ctx = input.onnxContext();
        Network net = model.network();
        Map<String, ONNXRef<?>> refs = new HashMap<>();
        long[] shape = net.exampleShape();
        long[] target = new long[shape.length + 1];
        target[0] = -1;
        System.arraycopy(shape, 0, target, 1, shape.length);
        ONNXRef<?> x = input;
        if (shape.length != 1) {
            ONNXRef<?> dims = ctx.array("widerobust_input_shape", target);
            x = replay(ctx, NodeProto.newBuilder().setOpType("Reshape").setName("widerobust_input_reshape").build(),
                    List.of(input, dims), List.of("widerobust_input")).get(0);
        }
        if (model.inputScale() != 1f) {
            x = x.apply(ONNXOperators.MUL, ctx.constant("widerobust_input_scale", model.inputScale()));
        }
        refs.put(net.input(), x);
        for (TensorProto t : net.model().getGraph().getInitializerList()) {
            refs.put(t.getName(), initializer(ctx, t));
        }
        for (NodeProto n : net.model().getGraph().getNodeList()) {
            List<ONNXRef<?>> ins = new ArrayList<>();
            for (String i : n.getInputList()) {
                ONNXRef<?> r = refs.get(i);
                if (r == null) {
                    throw new IllegalStateException("cannot export node " + n.getName() + " (" + n.getOpType()
                            + "): input '" + i + "' is not produced before it");
                }
                ins.add(r);
            }
            List<ONNXNode> outs = replay(ctx, n, ins, n.getOutputList());
            for (int k = 0; k < outs.size(); k++) {
                refs.put(n.getOutput(k), outs.get(k));
            }
        }
        ONNXRef<?> logits = refs.get(net.logits());
        return logits.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1));
    }

    private static ONNXRef<?> initializer(ONNXContext ctx, TensorProto t) {
        long[] dims = Tensors.dims(t);
        if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
            float[] v = Tensors.toFloats(t);
            List<Integer> d = new ArrayList<>(dims.length);
            for (long x : dims) {
                d.add(Math.toIntExact(x));
            }
            return ctx.floatTensor(t.getName(), d, fb -> fb.put(v));
        }
        if (t.getDataType() == TensorProto.DataType.INT64_VALUE && dims.length == 1) {
            return ctx.array(t.getName(), Tensors.toLongs(t));
        }
        throw new IllegalStateException("cannot export initializer " + t.getName() + " of type " + t.getDataType()
                + " and shape " + Arrays.toString(dims));
    }

    private static List<ONNXNode> replay(ONNXContext ctx, NodeProto node, List<ONNXRef<?>> inputs,
                                         List<String> outputs) {
        return ctx.operation(new Replayed(node, inputs.size(), outputs.size()), inputs, outputs,
                Collections.emptyMap());
    }

    /** An existing ONNX node as a Tribuo {@link ONNXOperator}: same op and attributes, the context's names. */
    private record Replayed(NodeProto node, int numInputs, int numOutputs) implements ONNXOperator {
        @Override
        public String getOpName() {
            return node.getOpType();
        }

        @Override
        public int getNumInputs() {
            return numInputs;
        }

        @Override
        public int getNumOptionalInputs() {
            return 0;
        }

        @Override
        public int getNumOutputs() {
            return numOutputs;
        }

        @Override
        public Map<String, ONNXAttribute> getAttributes() {
            return Collections.emptyMap();
        }

        @Override
        public Set<String> getMandatoryAttributeNames() {
            return Collections.emptySet();
        }

        @Override
        public int getOpVersion() {
            return 17;
        }

        @Override
        public String getOpDomain() {
            return node.getDomain();
        }

        @Override
        public NodeProto build(ONNXContext context, String[] inputs, String[] outputs, Map<String, Object> attrs) {
            return node.toBuilder().clearInput().addAllInput(Arrays.asList(inputs)).clearOutput()
                    .addAllOutput(Arrays.asList(outputs)).setName(outputs[0] + "_" + node.getOpType()).build();
        }
    }

    /**
     * An {@link ONNXExternalModel} over a file written by {@link #write}: feature and label maps, the shape and the
     * label order come from the file's metadata, and the output is read as probabilities (Tribuo's
     * {@link LabelTransformer} default), so its predictions and scores equal the {@link NetworkModel}'s.
     *
     * @throws IOException if the file cannot be read or was not exported by widerobust
     */
    public static ONNXExternalModel<Label> toExternalModel(Path file) throws IOException {
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        Map<String, String> meta = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : proto.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        if (!meta.containsKey(FEATURES_KEY) || !meta.containsKey(LABELS_KEY)) {
            throw new IOException(file + " was not exported by widerobust (no " + FEATURES_KEY + " / " + LABELS_KEY
                    + " metadata); build the ONNXExternalModel with ONNXExternalModel.createOnnxModel");
        }
        Map<String, Integer> features = new LinkedHashMap<>();
        String[] names = meta.get(FEATURES_KEY).split("\n", -1);
        for (int i = 0; i < names.length; i++) {
            features.put(names[i], i);
        }
        Map<Label, Integer> labels = new LinkedHashMap<>();
        String[] ls = meta.get(LABELS_KEY).split("\n", -1);
        for (int i = 0; i < ls.length; i++) {
            labels.put(new Label(ls[i]), i);
        }
        try {
            return ONNXExternalModel.createOnnxModel(new LabelFactory(), features, labels, new DenseTransformer(),
                    new LabelTransformer(), new OrtSession.SessionOptions(), file, "input");
        } catch (OrtException e) {
            throw new IOException("cannot open " + file + " in ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
