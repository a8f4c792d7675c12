package org.widerobust.plugin.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

import org.widerobust.adapters.files.AtomicFiles;
import org.widerobust.adapters.network.SgdMomentum;

/**
 * The training state on disk: position (next epoch and batch), the running sums of the current epoch, the finished
 * epochs' summaries, the training loop's further state (its epoch sums, best epoch, λ rule), the legs of the run, and
 * every tensor (parameters, running statistics, optimiser velocity). Random numbers are
 * derived from the seed and the position, so the position is the whole random state. The file ends with a CRC-32
 * of its content and is written by {@link AtomicFiles} (temporary sibling, fsync, atomic rename), so a killed run
 * leaves either the old or the new checkpoint.
 */
public final class Checkpoint {
    /** The file name inside the checkpoint directory. */
    public static final String FILE = "last.ckpt";
    private static final int MAGIC = 0x57524B50; // "WRKP"
    private static final int VERSION = 2; // 2 added the risk parts, the loop state and the legs; 1 is still read
    private static final int CHUNK = 1 << 14;

    /**
     * Where training stands.
     *
     * @param epoch        the next epoch to run (from 0)
     * @param batch        the next batch of that epoch (from 0)
     * @param lossSum      sum of batch loss × batch size so far in the epoch
     * @param cleanCorrect clean hits so far in the epoch
     * @param advCorrect   adversarial hits so far in the epoch
     * @param seen         examples so far in the epoch
     * @param epochSeconds wall time so far in the epoch
     * @param history      finished epochs
     * @param loopState    the training loop's further state (its epoch sums, best epoch, λ rule state); empty in a
     *                     version-1 checkpoint, which the loop then starts afresh
     * @param legs         the processes that trained so far (the first start and each resume), oldest first
     */
    public record Position(int epoch, int batch, double lossSum, long cleanCorrect, long advCorrect, long seen,
                           double epochSeconds, List<EpochSummary> history, double[] loopState,
                           List<TrainingLeg> legs) {
        public Position {
            history = List.copyOf(history);
            loopState = loopState.clone();
            legs = List.copyOf(legs);
        }

        @Override
        public double[] loopState() {
            return loopState.clone();
        }

        /** The start of training. */
        public static Position start() {
            return new Position(0, 0, 0, 0, 0, 0, 0, List.of(), new double[0], List.of());
        }
    }

    private Checkpoint() {}

    /**
     * Writes a checkpoint atomically.
     *
     * @param file        the checkpoint file
     * @param fingerprint the configuration it belongs to
     * @param position    where training stands
     * @param tensors     state tensors by name (parameters and running statistics)
     * @param sgd         the optimiser whose velocity is saved (one per parameter in {@code parameters})
     * @param parameters  the parameter names
     */
    public static void write(Path file, String fingerprint, Position position, Map<String, FloatBuffer> tensors,
                             SgdMomentum sgd, List<String> parameters) {
        try {
            AtomicFiles.write(file, raw -> {
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
                writeBody(out, fingerprint, position, tensors, sgd, parameters);
                out.flush();
                out.writeLong(crc.getValue());
                out.flush();
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    private static void writeBody(DataOutputStream out, String fingerprint, Position position,
                                  Map<String, FloatBuffer> tensors, SgdMomentum sgd, List<String> parameters)
            throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(fingerprint);
        out.writeInt(position.epoch());
        out.writeInt(position.batch());
        out.writeDouble(position.lossSum());
        out.writeLong(position.cleanCorrect());
        out.writeLong(position.advCorrect());
        out.writeLong(position.seen());
        out.writeDouble(position.epochSeconds());
        out.writeInt(position.history().size());
        for (EpochSummary e : position.history()) {
            out.writeInt(e.epoch());
            out.writeDouble(e.learningRate());
            out.writeDouble(e.loss());
            out.writeDouble(e.cleanAccuracy());
            out.writeDouble(e.adversarialAccuracy());
            out.writeLong(e.examples());
            out.writeDouble(e.seconds());
            for (double v : new double[] {e.naturalRisk(), e.robustRegularization(), e.lambdaLast(), e.lambdaMean(),
                    e.ratio(), e.localLipschitz(), e.valNaturalAccuracy(), e.valRobustAccuracy(), e.valStability()}) {
                out.writeDouble(v);
            }
        }
        double[] loop = position.loopState();
        out.writeInt(loop.length);
        for (double v : loop) {
            out.writeDouble(v);
        }
        out.writeInt(position.legs().size());
        for (TrainingLeg l : position.legs()) {
            out.writeInt(l.leg());
            out.writeUTF(l.startedAt());
            out.writeUTF(l.device());
            out.writeInt(l.fromEpoch());
            out.writeInt(l.fromBatch());
            out.writeLong(l.examples());
            out.writeDouble(l.seconds());
        }
        out.writeInt(tensors.size() + parameters.size());
        for (var e : tensors.entrySet()) {
            writeTensor(out, "w:" + e.getKey(), e.getValue());
        }
        for (String p : parameters) {
            writeTensor(out, "v:" + p, sgd.velocity(p));
        }
    }

    /**
     * Reads a checkpoint into the live tensors and velocity.
     *
     * @return the position to continue from
     * @throws CheckpointException naming the file if it is missing, truncated, corrupt, or from another configuration
     */
    public static Position read(Path file, String fingerprint, Map<String, FloatBuffer> tensors, SgdMomentum sgd,
                                List<String> parameters) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("no checkpoint to resume from: " + file + " does not exist");
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (size < 16) {
            throw new CheckpointException("checkpoint " + file + " is truncated or corrupt (" + size + " bytes)", true);
        }
        long stored;
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            long left = size - 8;
            while (left > 0) {
                int r = raw.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new EOFException();
                }
                crc.update(buf, 0, r);
                left -= r;
            }
            stored = new DataInputStream(raw).readLong();
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new CheckpointException("checkpoint " + file + " is not a widerobust checkpoint (bad header)",
                        true);
            }
            if (stored != crc.getValue()) {
                throw new CheckpointException("checkpoint " + file + " is truncated or corrupt (checksum mismatch)",
                        true);
            }
            int version = requireFingerprint(in, file, fingerprint);
            int epoch = in.readInt();
            int batch = in.readInt();
            double lossSum = in.readDouble();
            long clean = in.readLong();
            long adv = in.readLong();
            long seen = in.readLong();
            double secs = in.readDouble();
            int h = in.readInt();
            List<EpochSummary> history = new ArrayList<>();
            for (int i = 0; i < h; i++) {
                int number = in.readInt();
                double lr = in.readDouble();
                double epochLoss = in.readDouble();
                double epochClean = in.readDouble();
                double epochAdversarial = in.readDouble();
                long examples = in.readLong();
                double seconds = in.readDouble();
                double[] parts = new double[9];
                Arrays.fill(parts, Double.NaN);
                for (int j = 0; version >= 2 && j < parts.length; j++) {
                    parts[j] = in.readDouble();
                }
                history.add(new EpochSummary(number, lr, epochLoss, epochClean, epochAdversarial, examples, seconds,
                        parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7], parts[8]));
            }
            double[] loop = new double[version >= 2 ? in.readInt() : 0];
            for (int i = 0; i < loop.length; i++) {
                loop[i] = in.readDouble();
            }
            List<TrainingLeg> legs = new ArrayList<>();
            int legCount = version >= 2 ? in.readInt() : 0;
            for (int i = 0; i < legCount; i++) {
                legs.add(new TrainingLeg(in.readInt(), in.readUTF(), in.readUTF(), in.readInt(), in.readInt(),
                        in.readLong(), in.readDouble()));
            }
            Map<String, FloatBuffer> targets = new HashMap<>();
            for (var e : tensors.entrySet()) {
                targets.put("w:" + e.getKey(), e.getValue());
            }
            for (String p : parameters) {
                targets.put("v:" + p, sgd.velocity(p));
            }
            int count = in.readInt();
            if (count != targets.size()) {
                throw new CheckpointException("checkpoint " + file + " holds " + count + " tensors, expected "
                        + targets.size());
            }
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                FloatBuffer dst = targets.get(name);
                int n = in.readInt();
                if (dst == null || dst.capacity() != n) {
                    throw new CheckpointException("checkpoint " + file + ": tensor '" + name + "' of " + n
                            + " values does not match the network");
                }
                readTensor(in, dst, n);
            }
            return new Position(epoch, batch, lossSum, clean, adv, seen, secs, history, loop, legs);
        } catch (EOFException e) {
            throw new CheckpointException("checkpoint " + file + " is truncated", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeTensor(DataOutputStream out, String name, FloatBuffer b) throws IOException {
        out.writeUTF(name);
        int n = b.capacity();
        out.writeInt(n);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        for (int s = 0; s < n; s += CHUNK) {
            int m = Math.min(CHUNK, n - s);
            chunk.clear();
            chunk.asFloatBuffer().put(b.duplicate().clear().position(s).limit(s + m));
            out.write(chunk.array(), 0, m * Float.BYTES);
        }
    }

    /**
     * Checks that a checkpoint was written by the configuration with {@code fingerprint}, reading only its header.
     *
     * @throws CheckpointException naming the file if it is missing, unreadable, or from another configuration
     */
    public static void requireFingerprint(Path file, String fingerprint) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 12))) {
            if (in.readInt() != MAGIC) {
                throw new CheckpointException("checkpoint " + file + " is not a widerobust checkpoint (bad header)",
                        true);
            }
            requireFingerprint(in, file, fingerprint);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("no checkpoint to compare with: " + file + " does not exist");
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new CheckpointException("checkpoint " + file + " is truncated or corrupt (it ends before its "
                    + "configuration)", true);
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    /** Reads the version and fingerprint that follow the magic number; throws if either does not fit. */
    private static int requireFingerprint(DataInputStream in, Path file, String fingerprint) throws IOException {
        int version = in.readInt();
        if (version != VERSION && version != 1) {
            throw new CheckpointException("checkpoint " + file + " has unsupported version " + version);
        }
        String fp = in.readUTF();
        if (!comparable(fp).equals(comparable(fingerprint))) {
            throw new CheckpointException("checkpoint " + file + " was written by a different training "
                    + "configuration" + differences(fp, fingerprint) + ":\n  checkpoint: " + fp + "\n  this run:   "
                    + fingerprint);
        }
        return version;
    }

    /**
     * A fingerprint as compared: without the WAR reference's path ({@code rho_ref_source=...}), which checkpoints of
     * earlier versions hold; ρ_ref itself, which decides the run, stays.
     */
    public static String comparable(String fingerprint) {
        return fingerprint.replaceAll("rho_ref_source=[^,}]*, ", "");
    }

    /**
     * What differs between two fingerprints, e.g. {@code  (epochs 2 → 4)}, or empty when they cannot be paired:
     * their {@code key=value} fields (a value may hold spaces: it runs to the next {@code key=}) compared by key.
     */
    static String differences(String checkpoint, String run) {
        Map<String, String> a = fields(comparable(checkpoint));
        Map<String, String> b = fields(comparable(run));
        if (!a.keySet().equals(b.keySet())) {
            return "";
        }
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            String other = b.get(e.getKey());
            if (!e.getValue().equals(other)) {
                out.add((e.getKey().isEmpty() ? "" : e.getKey() + " ") + e.getValue() + " → " + other);
            }
        }
        return out.isEmpty() ? "" : " (" + String.join("; ", out) + ")";
    }

    private static Map<String, String> fields(String fingerprint) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String part : fingerprint.split("\\s+(?=[a-z_]+=)")) {
            int eq = part.indexOf('=');
            boolean keyed = eq > 0 && part.substring(0, eq).matches("[a-z_]+");
            String value = (keyed ? part.substring(eq + 1) : part).replaceAll("[,;]$", ""); // "a=1, b=2" in a map
            m.put(keyed ? part.substring(0, eq) : "", value);
        }
        return m;
    }

    private static void readTensor(DataInputStream in, FloatBuffer dst, int n) throws IOException {
        byte[] bytes = new byte[CHUNK * Float.BYTES];
        ByteBuffer chunk = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        FloatBuffer target = dst.duplicate().clear();
        for (int s = 0; s < n; s += CHUNK) {
            int m = Math.min(CHUNK, n - s);
            in.readFully(bytes, 0, m * Float.BYTES);
            chunk.clear();
            target.put(chunk.asFloatBuffer().limit(m));
        }
    }
}
