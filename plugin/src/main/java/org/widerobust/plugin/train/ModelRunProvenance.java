package org.widerobust.plugin.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.widerobust.adapters.engine.Engine;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.WiderobustVersion;
import org.widerobust.plugin.model.InputDomain;

/**
 * What a training run actually used, recorded in the model's provenance (Tribuo's instance provenance, next to the
 * trainer's configured values): the widerobust version, the SHA-256 of the trained network's ONNX bytes, the family
 * member that ran, the device and engine threads that trained it, the effective input domain, and the objective and
 * rows of the parameter-gradient pass ({@link ParameterPass}).
 */
final class ModelRunProvenance {
    /** Key of the widerobust version. */
    static final String VERSION = "widerobust-version";
    /** Key of the network hash. */
    static final String NETWORK_SHA256 = "network-sha256";
    /** Key of the network that ran. */
    static final String NETWORK = "network";
    /** Key of the device that trained. */
    static final String DEVICE = "training-device";
    /** Key of the engine threads. */
    static final String THREADS = "training-threads";
    /** Key of the effective input domain (the per-feature bounds themselves are in the model). */
    static final String DOMAIN = "input-domain";
    /** Key of the parameter-gradient pass that ran ({@link ParameterPass}). */
    static final String PARAMETER_PASS = "parameter-pass";

    private ModelRunProvenance() {}

    static Map<String, Provenance> of(Map<String, Provenance> caller, Network trained, Engine engine,
                                      float[] domain, ParameterPass pass) {
        Map<String, Provenance> m = new LinkedHashMap<>(caller);
        m.put(VERSION, new StringProvenance(VERSION, WiderobustVersion.VERSION));
        m.put(NETWORK_SHA256, new StringProvenance(NETWORK_SHA256, sha256(trained.model().toByteArray())));
        m.put(NETWORK, new StringProvenance(NETWORK, trained.name()));
        m.put(DEVICE, new StringProvenance(DEVICE, engine.deviceDescription()));
        m.put(THREADS, new IntProvenance(THREADS, engine.threads()));
        m.put(DOMAIN, new StringProvenance(DOMAIN, InputDomain.describe(domain)));
        m.put(PARAMETER_PASS, new StringProvenance(PARAMETER_PASS, pass.description()));
        return m;
    }

    /** The SHA-256 of bytes, in hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
