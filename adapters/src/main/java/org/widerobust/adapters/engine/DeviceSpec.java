package org.widerobust.adapters.engine;

import java.util.Locale;

/**
 * Where graphs run: {@code auto} (CUDA if its execution provider loads, else CPU), {@code cpu}, {@code cuda}
 * (device 0) or {@code cuda:N}.
 *
 * @param kind     the kind of device
 * @param deviceId the CUDA device ordinal (0 for {@code auto} and {@code cpu})
 */
public record DeviceSpec(Kind kind, int deviceId) {
    /** The accepted spellings, for messages. */
    public static final String ACCEPTED = "auto, cpu, cuda, cuda:N (N = 0, 1, ...)";

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

    /** The kind of device. */
    public enum Kind { AUTO, CPU, CUDA }

    public DeviceSpec {
        if (kind == null) {
            throw new IllegalArgumentException("device kind must not be null");
        }
        if (deviceId < 0) {
            throw new IllegalArgumentException("device id must be >= 0, got " + deviceId);
        }
        if (kind != Kind.CUDA && deviceId != 0) {
            throw new IllegalArgumentException("only cuda devices take a device id, got " + kind + ":" + deviceId);
        }
    }

    /** A CUDA device. */
    public static DeviceSpec cuda(int deviceId) {
        return new DeviceSpec(Kind.CUDA, deviceId);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N} (case-insensitive, surrounding blanks
     * ignored).
     *
     * @throws IllegalArgumentException naming the spec and the accepted forms
     */
    public static DeviceSpec parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("device spec is null; accepted: " + ACCEPTED);
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "cuda":
                return cuda(0);
            default:
                break;
        }
        if (s.startsWith("cuda:")) {
            String id = s.substring("cuda:".length());
            if (!id.isEmpty() && id.length() <= 4 && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return cuda(Integer.parseInt(id));
            }
        }
        throw new IllegalArgumentException("unknown device '" + spec + "'; accepted: " + ACCEPTED);
    }

    /** The canonical spelling: {@code auto}, {@code cpu} or {@code cuda:N}. */
    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + deviceId : kind.name().toLowerCase(Locale.ROOT);
    }
}
