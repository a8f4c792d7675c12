package org.widerobust.adapters.network;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.UnsafeByteOperations;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.widerobust.adapters.engine.CompiledGraph;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.network.Network;

/**
 * A network's trainable parameters in direct, native-order buffers. Graphs whose parameters are inputs read them
 * zero-copy ({@link #bind}); optimisers update them in place; {@link #toNetwork} writes them back into the model.
 */
public final class ParameterStore {
    private final Network network;
    private final Map<String, FloatBuffer> values = new LinkedHashMap<>();
    private final Map<String, ByteBuffer> bytes = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    public ParameterStore(Network network) {
        this.network = network;
        Map<String, TensorProto> init = network.initializers();
        for (String p : network.parameters()) {
            TensorProto t = init.get(p);
            float[] v = Tensors.toFloats(t);
            ByteBuffer raw = ByteBuffer.allocateDirect(v.length * Float.BYTES).order(ByteOrder.nativeOrder());
            FloatBuffer b = raw.asFloatBuffer();
            b.put(v).clear();
            values.put(p, b);
            bytes.put(p, raw);
            shapes.put(p, Tensors.dims(t));
        }
    }

    public Network network() {
        return network;
    }

    public List<String> names() {
        return new ArrayList<>(values.keySet());
    }

    /** The live buffer of a parameter (position 0, limit = size). */
    public FloatBuffer buffer(String name) {
        FloatBuffer b = values.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + network.name());
        }
        return b.duplicate().clear();
    }

    public long[] shape(String name) {
        return shapes.get(name).clone();
    }

    /** Total number of scalars. */
    public long size() {
        long n = 0;
        for (FloatBuffer b : values.values()) {
            n += b.capacity();
        }
        return n;
    }

    /** Binds every parameter buffer as the same-named input of {@code graph}. */
    public void bind(CompiledGraph graph) {
        for (var e : values.entrySet()) {
            graph.bindFloatInput(e.getKey(), e.getValue().duplicate().clear(), shapes.get(e.getKey()));
        }
    }

    /**
     * The network with its parameter initializers <em>viewing</em> the live buffers instead of copying them: for
     * compiling a session over the current values at once ({@code NetworkSession.snapshot}). ONNX Runtime copies
     * initializers when it creates a session, so the session keeps the values of that moment; the returned network
     * itself changes with every update and must not be kept. A training step's snapshot thus allocates no Java
     * arrays for the weights, where {@link #toNetwork} allocates three copies of them (at smallcnn k = 4 they are
     * large enough to be allocated in the old generation, where they stayed until a full collection:
     * docs/benchmarks.md). On a big-endian machine (ONNX raw data is little-endian) this is {@link #toNetwork}.
     */
    public Network liveView() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return toNetwork();
        }
        return withParameters(t -> TensorProto.newBuilder().setName(t.getName()).setDataType(t.getDataType())
                .addAllDims(t.getDimsList())
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.get(t.getName()).duplicate().clear())).build());
    }

    /** The network with its initializers replaced by copies of the current parameter values. */
    public Network toNetwork() {
        return withParameters(t -> {
            FloatBuffer b = values.get(t.getName());
            float[] v = new float[b.capacity()];
            b.duplicate().clear().get(v);
            return Tensors.floats(t.getName(), Tensors.dims(t), v);
        });
    }

    /** The network with each parameter's initializer replaced by {@code initializer} of the original. */
    private Network withParameters(UnaryOperator<TensorProto> initializer) {
        ModelProto model = network.model();
        var graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            if (values.containsKey(t.getName())) {
                graph.setInitializer(i, initializer.apply(t));
            }
        }
        return withModel(model.toBuilder().setGraph(graph).build());
    }

    private Network withModel(ModelProto model) {
        return new Network(network.name(), model, network.input(), network.logits(), network.exampleShape(),
                network.numClasses(), network.parameters(), network.batchNorms(), network.inputBounds());
    }
}
