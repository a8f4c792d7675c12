package org.widerobust.plugin.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.adapters.data.ExampleTensorMapper;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.plugin.model.SerializedModels;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.report.JsonReports;

/**
 * A trained network as a Tribuo classification model. It holds the inference-form ONNX graph (final weights and
 * batch-norm running statistics), the feature names in tensor order and the label names in logit order, and predicts
 * through an ONNX Runtime session created on first use (not serialized). Scores are the softmax of the logits.
 * <p>
 * Tribuo 4.3's {@link Model#serializeToFile} uses protobuf serialization, which this model does not implement; save
 * it with {@link #save(Path)} (Java serialization, as Tribuo models were saved before 4.3) and read it with
 * {@link #load(Path)}. {@link #toOnnx(Path)} writes the bare network for {@code OnnxClassifierImporter}.
 * <p>
 * Predictions are not thread-safe (one session per model); {@link #close()} releases the session.
 */
public final class NetworkModel extends Model<Label> implements AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final int PREDICT_BATCH = 256;

    private final byte[] onnx;
    private final String networkName;
    private final String inputName;
    private final String logitsName;
    private final long[] exampleShape;
    private final int numClasses;
    private final ArrayList<String> parameterNames;
    private final float[] inputBounds;
    private final ArrayList<String> featureNames;
    private final ArrayList<String> labelNames;
    private String device = "auto";

    private transient Network network;
    private transient Engine engine;
    private transient NetworkSession session;
    private transient ExampleTensorMapper mapper;

    /**
     * @param name         the model name
     * @param provenance   trainer and data provenance
     * @param featureIDMap the Tribuo feature map
     * @param outputIDInfo label ids equal to logit indices
     * @param network      the inference-form network
     * @param featureNames feature names in tensor order
     * @param labelNames   label names in logit order
     */
    public NetworkModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                        ImmutableOutputInfo<Label> outputIDInfo, Network network, List<String> featureNames,
                        List<String> labelNames) {
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
        this.parameterNames = new ArrayList<>(network.parameters());
        this.inputBounds = network.inputBounds();
        this.featureNames = new ArrayList<>(featureNames);
        this.labelNames = new ArrayList<>(labelNames);
        this.network = network;
    }

    /** The network (inference form, final weights). */
    public synchronized Network network() {
        if (network == null) {
            try {
                network = new Network(networkName, ModelProto.parseFrom(onnx), inputName, logitsName, exampleShape,
                        numClasses, parameterNames, List.of(), inputBounds);
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
        return Collections.unmodifiableList(featureNames);
    }

    /** Label names in logit order. */
    public List<String> labelNames() {
        return Collections.unmodifiableList(labelNames);
    }

    /** Selects the device of the prediction session ({@code auto} by default); closes an open session. */
    public synchronized NetworkModel useDevice(DeviceSpec spec) {
        close();
        this.device = spec.toString();
        return this;
    }

    /** Writes the network as an ONNX file, atomically. */
    public void toOnnx(Path file) throws IOException {
        JsonReports.writeAtomically(file, onnx);
    }

    /** Saves this model with Java serialization, atomically. */
    public void save(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        }
        JsonReports.writeAtomically(file, bytes.toByteArray());
    }

    /** Reads a model written by {@link #save(Path)}. */
    public static NetworkModel load(Path file) throws IOException {
        try {
            Object o = SerializedModels.read(file);
            if (o instanceof NetworkModel m) {
                return m;
            }
            throw new IOException(file + " does not hold a NetworkModel but " + o.getClass().getName());
        } catch (ClassNotFoundException | java.io.ObjectStreamException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Logits {@code [n, K]} of {@code n} dense examples. */
    public synchronized float[] logits(float[] x, int n) {
        float[] out = new float[n * numClasses];
        session().logits(x, n, out);
        return out;
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
        ExampleTensorMapper m = mapper();
        int len = featureNames.size();
        List<Prediction<Label>> out = new ArrayList<>(examples.size());
        for (int s = 0; s < examples.size(); s += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, examples.size() - s);
            float[] x = new float[n * len];
            for (int i = 0; i < n; i++) {
                System.arraycopy(m.toArray(examples.get(s + i)), 0, x, i * len, len);
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
                out.add(new Prediction<>(top, scores, ex.size(), ex, true));
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
                featureNames, labelNames);
        m.device = device;
        return m;
    }

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

    private ExampleTensorMapper mapper() {
        if (mapper == null) {
            mapper = new ExampleTensorMapper(featureNames, exampleShape, labelNames,
                    ExampleTensorMapper.UnknownFeatures.IGNORE);
        }
        return mapper;
    }
}
