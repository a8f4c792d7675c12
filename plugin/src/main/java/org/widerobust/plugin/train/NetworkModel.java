package org.widerobust.plugin.train;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.plugin.model.SerializedModels;
import org.widerobust.plugin.report.JsonReports;

/**
 * A trained network as a Tribuo classification model. It holds the inference-form ONNX graph (final weights and
 * batch-norm running statistics), the feature names in tensor order, the label names in logit order, the declared
 * input domain, the training history and where it was trained, and predicts through an ONNX Runtime session created
 * on first use. Scores are the softmax of the logits.
 * <p>
 * <b>Serialization</b> is Tribuo 4.3's protobuf scheme: {@link #serialize()} packs a {@code NetworkModelProto}
 * (see {@link NetworkModelProto}) into Tribuo's {@code ModelProto}, and {@link Model#deserializeFromFile(Path)}
 * finds {@link #deserializeFromProto(int, String, Any)} through Tribuo's {@code ProtoUtil}. Java serialization is
 * refused in both directions with a message saying so (files written by widerobust 0.1 with Java serialization
 * cannot be read; retrain, or export them to ONNX with widerobust 0.1).
 * <p>
 * <b>ONNX export</b> ({@link ONNXExportable}) follows Tribuo's exporters: one float input {@code input [N, F]}
 * (features in the order of {@link #featureNames()}), one output {@code output [N, K]} of softmax probabilities in
 * label-id order, {@code TRIBUO_PROVENANCE} metadata, domain and model version; see {@link NetworkModelExport}.
 * <p>
 * Predictions are thread-safe but serialised: the model runs one ONNX Runtime session, so concurrent calls wait for
 * each other; {@link #close()} releases the session.
 */
public final class NetworkModel extends Model<Label> implements AutoCloseable, ONNXExportable {
    private static final long serialVersionUID = 1L;
    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;
    /** Default examples per inference batch. */
    public static final int DEFAULT_PREDICT_BATCH = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] onnx;
    private final String networkName;
    private final String inputName;
    private final String logitsName;
    private final long[] exampleShape;
    private final int numClasses;
    private final List<String> parameterNames;
    private final float[] inputDomain;
    private final List<String> featureNames;
    private final List<String> labelNames;
    private final float inputScale;
    private final List<EpochSummary> history;
    private final String trainedOn;
    private final int trainingThreads;
    private String device;
    private int predictBatchSize = DEFAULT_PREDICT_BATCH;

    private transient Network network;
    private transient Engine engine;
    private transient NetworkSession session;
    private transient Map<String, Integer> featureIndex;

    /**
     * A model with no training record (history empty, trained on an unknown device).
     *
     * @param name         the model name
     * @param provenance   trainer and data provenance
     * @param featureIDMap the Tribuo feature map
     * @param outputIDInfo label ids equal to logit indices
     * @param network      the inference-form network (its input bounds are the declared domain)
     * @param featureNames feature names in tensor order
     * @param labelNames   label names in logit order
     */
    public NetworkModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                        ImmutableOutputInfo<Label> outputIDInfo, Network network, List<String> featureNames,
                        List<String> labelNames) {
        this(name, provenance, featureIDMap, outputIDInfo, network, featureNames, labelNames, 1f, List.of(),
                "unknown", 0, "auto");
    }

    /**
     * @param inputScale      features are multiplied by this before they enter the network (1: none)
     * @param history         the training history, one entry per epoch
     * @param trainedOn       the device that trained it, as the engine described it (e.g. {@code cpu (2 threads)})
     * @param trainingThreads the engine threads that trained it
     * @param device          the prediction device ({@code auto}, {@code cpu}, {@code cuda[:N]})
     */
    NetworkModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                 ImmutableOutputInfo<Label> outputIDInfo, Network network, List<String> featureNames,
                 List<String> labelNames, float inputScale, List<EpochSummary> history, String trainedOn,
                 int trainingThreads, String device) {
        super(name, provenance, featureIDMap, outputIDInfo, true);
        if (featureNames.size() != network.exampleLength()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for examples of length "
                    + network.exampleLength());
        }
        if (labelNames.size() != network.numClasses()) {
            throw new IllegalArgumentException(labelNames.size() + " label names for " + network.numClasses()
                    + " logits");
        }
        this.onnx = network.model().toByteArray();
        this.networkName = network.name();
        this.inputName = network.input();
        this.logitsName = network.logits();
        this.exampleShape = network.exampleShape();
        this.numClasses = network.numClasses();
        this.parameterNames = List.copyOf(network.parameters());
        this.inputDomain = network.inputBounds();
        this.featureNames = List.copyOf(featureNames);
        this.labelNames = List.copyOf(labelNames);
        this.inputScale = inputScale;
        this.history = List.copyOf(history);
        this.trainedOn = trainedOn;
        this.trainingThreads = trainingThreads;
        this.device = DeviceSpec.parse(device).toString();
        this.network = network;
    }

    /** The network (inference form, final weights). */
    public synchronized Network network() {
        if (network == null) {
            try {
                network = new Network(networkName, ModelProto.parseFrom(onnx), inputName, logitsName, exampleShape,
                        numClasses, parameterNames, List.of(), inputDomain);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("the stored network is corrupt: " + e.getMessage(), e);
            }
        }
        return network;
    }

    /** The ONNX bytes of the network. */
    public byte[] onnxBytes() {
        return onnx.clone();
    }

    /** Feature names in tensor order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Label names in logit order. */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The shape of one example as the network takes it, e.g. {@code [C, H, W]}. */
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /**
     * The declared input domain in the network's input units: {@code {lo, hi}} for one box around every feature,
     * {@code 2F} values (the F lower bounds, then the F upper bounds, in tensor order) for per-feature bounds;
     * infinite values mean unbounded.
     */
    public float[] inputDomain() {
        return inputDomain.clone();
    }

    /** The factor applied to feature values before the network (1 for none). */
    public float inputScale() {
        return inputScale;
    }

    /** The training history, one entry per epoch (empty for a model built without training). */
    public List<EpochSummary> history() {
        return history;
    }

    /** The device that trained the model, as its engine described it, e.g. {@code cpu (2 threads)}. */
    public String trainedOn() {
        return trainedOn;
    }

    /** The engine threads that trained the model. */
    public int trainingThreads() {
        return trainingThreads;
    }

    /** The prediction device. */
    public String device() {
        return device;
    }

    /** Examples per inference batch. */
    public int predictBatchSize() {
        return predictBatchSize;
    }

    /**
     * Sets the number of examples per inference batch.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public synchronized NetworkModel setPredictBatchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the inference batch size must be >= 1, got " + n);
        }
        this.predictBatchSize = n;
        return this;
    }

    /** Selects the device of the prediction session; closes an open session. */
    public synchronized NetworkModel useDevice(DeviceSpec spec) {
        close();
        this.device = spec.toString();
        return this;
    }

    /** Writes the bare inference network (input {@code [N, shape...]}, logits) as an ONNX file, atomically. */
    public void toOnnx(Path file) throws IOException {
        JsonReports.writeAtomically(file, onnx);
    }

    /** Writes this model in Tribuo's protobuf format ({@link #serialize()}), atomically. */
    public void save(Path file) throws IOException {
        JsonReports.writeAtomically(file, serialize().toByteArray());
    }

    /**
     * Reads a model written by {@link #save(Path)} or {@link Model#serializeToFile(Path)}.
     *
     * @throws IOException naming the file if it is not a widerobust model in Tribuo's protobuf format (with a
     *                     specific message for a Java-serialized file of widerobust 0.1)
     */
    public static NetworkModel load(Path file) throws IOException {
        if (SerializedModels.isJavaSerialized(file)) {
            throw new IOException(SerializedModels.javaSerializedMessage(file));
        }
        Model<?> m;
        try {
            m = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            if (isOnnxGraph(file)) {
                throw new IOException(file + " is an ONNX graph, not a widerobust model (a train run writes its "
                        + "model.tribuo next to its model.onnx); ONNX models are evaluated with `widerobust evaluate "
                        + "--model`", e);
            }
            throw new IOException("cannot read " + file + " as a Tribuo protobuf model: " + SerializedModels.cause(e),
                    e);
        }
        if (m instanceof NetworkModel nm) {
            return nm;
        }
        throw new IOException(file + " holds a Tribuo " + m.getClass().getName() + ", not a widerobust NetworkModel");
    }

    /** Whether a file is named {@code *.onnx} or parses as an ONNX model with a graph of at least one node. */
    private static boolean isOnnxGraph(Path file) {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            return true;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            ModelProto onnx = ModelProto.parseFrom(in);
            return onnx.getIrVersion() > 0 && onnx.getGraph().getNodeCount() > 0;
        } catch (IOException | RuntimeException notOnnx) {
            return false;
        }
    }

    /** Logits {@code [n, K]} of {@code n} dense examples in the network's input units. */
    public synchronized float[] logits(float[] x, int n) {
        float[] out = new float[n * numClasses];
        session().logits(x, n, out);
        return out;
    }

    /**
     * The dense row (network input units) of an example: each known feature at its tensor position, times
     * {@link #inputScale()}; missing features are 0.
     *
     * @return the number of known features written
     * @throws IllegalArgumentException if the example has no feature known to the model
     */
    public int toDense(Example<Label> example, float[] dst, int offset) {
        Map<String, Integer> idx = featureIndex();
        int known = 0;
        Arrays.fill(dst, offset, offset + featureNames.size(), 0f);
        for (Feature f : example) {
            Integer j = idx.get(f.getName());
            if (j != null) {
                dst[offset + j] = (float) (f.getValue() * inputScale);
                known++;
            }
        }
        if (known == 0) {
            throw new IllegalArgumentException("the example has none of the model's " + featureNames.size()
                    + " features (" + example.size() + " features, e.g. "
                    + (example.size() == 0 ? "none" : example.iterator().next().getName()) + ")");
        }
        return known;
    }

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return predictAll(List.of(example)).get(0);
    }

    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
        List<Example<Label>> list = new ArrayList<>();
        examples.forEach(list::add);
        return predictAll(list);
    }

    private synchronized List<Prediction<Label>> predictAll(List<Example<Label>> examples) {
        int len = featureNames.size();
        List<Prediction<Label>> out = new ArrayList<>(examples.size());
        for (int s = 0; s < examples.size(); s += predictBatchSize) {
            int n = Math.min(predictBatchSize, examples.size() - s);
            float[] x = new float[n * len];
            int[] used = new int[n];
            for (int i = 0; i < n; i++) {
                try {
                    used[i] = toDense(examples.get(s + i), x, i * len);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("example " + (s + i) + ": " + e.getMessage(), e);
                }
            }
            float[] z = logits(x, n);
            float[] p = Scores.softmax(z, n, numClasses);
            for (int i = 0; i < n; i++) {
                Example<Label> ex = examples.get(s + i);
                Map<String, Label> scores = new LinkedHashMap<>();
                for (int j = 0; j < numClasses; j++) {
                    scores.put(labelNames.get(j), new Label(labelNames.get(j), p[i * numClasses + j]));
                }
                int best = Scores.argmax(z, i, numClasses);
                Label top = new Label(labelNames.get(best), p[i * numClasses + best]);
                out.add(new Prediction<>(top, scores, used[i], ex, true));
            }
        }
        return out;
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected NetworkModel copy(String newName, ModelProvenance newProvenance) {
        NetworkModel m = new NetworkModel(newName, newProvenance, featureIDMap, outputIDInfo, network(),
                featureNames, labelNames, inputScale, history, trainedOn, trainingThreads, device);
        m.predictBatchSize = predictBatchSize;
        return m;
    }

    // ------------------------------------------------------------------ protobuf serialization

    @Override
    public org.tribuo.protos.core.ModelProto serialize() {
        ModelDataCarrier<Label> carrier = createDataCarrier();
        List<Long> shape = new ArrayList<>();
        for (long d : exampleShape) {
            shape.add(d);
        }
        List<Float> domain = new ArrayList<>();
        for (float v : inputDomain) {
            domain.add(v);
        }
        String historyJson;
        try {
            historyJson = JSON.writeValueAsString(history);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the training history: " + e.getMessage(), e);
        }
        Any data = new NetworkModelProto.Writer()
                .set("metadata", carrier.serialize().toByteArray())
                .set("onnx", onnx)
                .set("network_name", networkName)
                .set("input_name", inputName)
                .set("logits_name", logitsName)
                .addAll("example_shape", shape)
                .set("num_classes", numClasses)
                .addAll("parameter_names", parameterNames)
                .addAll("feature_names", featureNames)
                .addAll("label_names", labelNames)
                .addAll("input_domain", domain)
                .set("device", device)
                .set("predict_batch_size", predictBatchSize)
                .set("history_json", historyJson)
                .set("trained_on", trainedOn)
                .set("training_threads", trainingThreads)
                .set("input_scale", inputScale)
                .pack();
        return org.tribuo.protos.core.ModelProto.newBuilder().setVersion(CURRENT_VERSION)
                .setClassName(NetworkModel.class.getName()).setSerializedData(data).build();
    }

    /**
     * Deserialization factory, found by Tribuo's {@code ProtoUtil}.
     *
     * @param version   the serialized version
     * @param className the class name
     * @param message   the serialized data
     * @throws InvalidProtocolBufferException if the message is not a valid {@code NetworkModelProto}
     * @throws IllegalArgumentException       if the version is unknown or the contents are inconsistent
     */
    @SuppressWarnings("unchecked")
    public static NetworkModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + ", this class supports at most version "
                    + CURRENT_VERSION);
        }
        NetworkModelProto.Reader r = new NetworkModelProto.Reader(message);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(ModelDataProto.parseFrom(r.bytes("metadata")));
        if (carrier.outputDomain().size() > 0 && !(carrier.outputDomain().getOutput(0) instanceof Label)) {
            throw new IllegalArgumentException("Invalid protobuf: the output domain is not of Labels");
        }
        long[] shape = r.list("example_shape", Long.class).stream().mapToLong(Long::longValue).toArray();
        List<Float> d = r.list("input_domain", Float.class);
        float[] domain = new float[d.size()];
        for (int i = 0; i < domain.length; i++) {
            domain[i] = d.get(i);
        }
        List<EpochSummary> history;
        try {
            history = JSON.readValue(r.string("history_json"), new TypeReference<List<EpochSummary>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidProtocolBufferException("unreadable training history: " + e.getOriginalMessage());
        }
        Network net = new Network(r.string("network_name"), ModelProto.parseFrom(r.bytes("onnx")),
                r.string("input_name"), r.string("logits_name"), shape, r.int32("num_classes"),
                r.list("parameter_names", String.class), List.of(), domain);
        float scale = r.float32("input_scale");
        NetworkModel m = new NetworkModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                (ImmutableOutputInfo<Label>) carrier.outputDomain(), net, r.list("feature_names", String.class),
                r.list("label_names", String.class), scale == 0 ? 1f : scale, history, r.string("trained_on"),
                r.int32("training_threads"), r.string("device").isEmpty() ? "auto" : r.string("device"));
        int batch = r.int32("predict_batch_size");
        m.predictBatchSize = batch > 0 ? batch : DEFAULT_PREDICT_BATCH;
        return m;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(NetworkModel.class.getName() + " uses Tribuo's protobuf serialization "
                + "(Model.serializeToFile), not Java serialization");
    }

    private void readObject(ObjectInputStream in) throws IOException {
        throw new InvalidObjectException(SerializedModels.javaSerializedMessage(null));
    }

    // ------------------------------------------------------------------ ONNX export

    /**
     * The model as a self-contained ONNX model in Tribuo's classifier convention; see {@link NetworkModelExport}.
     *
     * @param domain       a reverse-DNS name for the model, e.g. {@code org.widerobust.smallcnn}
     * @param modelVersion the model version
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        return NetworkModelExport.exportModel(this, domain, modelVersion);
    }

    /**
     * Writes the network into the input's {@link org.tribuo.util.onnx.ONNXContext}: a reshape of the
     * {@code [N, F]} input to {@code [N, shape...]}, the input scale, the network, and a softmax.
     *
     * @return the softmax node, {@code [N, K]} probabilities in label-id order
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        return NetworkModelExport.writeGraph(this, input);
    }

    // ------------------------------------------------------------------ sessions

    /** Closes the prediction session and its engine (they are recreated on the next prediction). */
    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    private NetworkSession session() {
        if (session == null) {
            engine = Engine.create(DeviceSpec.parse(device), 0);
            session = new NetworkSession(engine, network());
        }
        return session;
    }

    private synchronized Map<String, Integer> featureIndex() {
        if (featureIndex == null) {
            Map<String, Integer> m = new HashMap<>(featureNames.size() * 2);
            for (int i = 0; i < featureNames.size(); i++) {
                m.put(featureNames.get(i), i);
            }
            featureIndex = m;
        }
        return featureIndex;
    }
}
