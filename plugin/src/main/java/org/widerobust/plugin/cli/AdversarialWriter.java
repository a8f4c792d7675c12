package org.widerobust.plugin.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.files.AtomicFiles;
import org.widerobust.plugin.eval.AdversarialExamples;

/**
 * Writes the worst-case adversarial examples of an evaluation to a directory:
 * <ul>
 *   <li>NumPy: {@code adversarial.npy} and {@code original.npy} (float32 {@code [n, ...example shape]}, e.g.
 *       {@code [n, C, H, W]}), {@code labels.npy}, {@code predictions.npy} (on the adversarial examples) and
 *       {@code clean_predictions.npy} (int64 {@code [n]}).</li>
 *   <li>IDX (as MNIST): {@code adversarial-images-idx3-ubyte} (unsigned bytes of {@code 255 * (x - min) /
 *       (max - min)}, the level nearest the adversarial value inside the ε-ball ({@link #toByte}); dims
 *       {@code [n, H, W]} for one channel, {@code [n, C, H, W]} (idx4) otherwise; the bytes are lossy, so their
 *       accuracy may differ from the reported one) and
 *       {@code adversarial-labels-idx1-ubyte} (the true labels), which {@code --data idx:DIR} reads; plus
 *       {@code adversarial-images-float.idx} with the exact float32 values (IDX type 0x0D, big-endian).</li>
 *   <li>{@code per_attack/ATTACK/adversarial.npy} and {@code predictions.npy}: each attack's own examples (a
 *       point misclassified on its clean input keeps its clean input), whose accuracy is that attack's reported
 *       robust accuracy, as {@code adversarial.npy}'s is the worst case's.</li>
 *   <li>{@code stability/adversarial.npy} and {@code predictions.npy}: per point, the example that moved its
 *       prediction off its clean prediction (the first attack's that did), or the first attack's example when none
 *       did, misclassified points included; the share of {@code predictions.npy} equal to
 *       {@code clean_predictions.npy} is the reported perturbation stability. The same per attack in
 *       {@code per_attack/ATTACK/stability/}, with the attack's own example of every point.</li>
 *   <li>{@code grid.png}: up to {@value #GRID_MAX} examples (points an attack broke first), one per row:
 *       original, perturbation (amplified to the row's largest change, centred at grey) and adversarial, with
 *       the true label, the clean prediction and the adversarial prediction written under them.</li>
 * </ul>
 */
final class AdversarialWriter {
    static final int GRID_MAX = 16;
    private static final int SCALE = 3;
    private static final int PAD = 6;
    private static final int TEXT = 14;

    private AdversarialWriter() {}

    /** The names this writer gives the entries of a save directory (IDX names for 3- and 4-dimensional images). */
    private static final java.util.Set<String> ENTRIES = java.util.Set.of("adversarial.npy", "original.npy",
            "labels.npy", "predictions.npy", "clean_predictions.npy", "adversarial-images-idx3-ubyte",
            "adversarial-images-idx4-ubyte", "adversarial-images-idx2-ubyte", "adversarial-labels-idx1-ubyte",
            "adversarial-images-float.idx", "per_attack", "stability", "grid.png");

    /** The names under {@code per_attack/ATTACK/} and {@code stability/} of a save. */
    private static final java.util.Set<String> NESTED = java.util.Set.of("adversarial.npy", "predictions.npy",
            "stability", "stability/adversarial.npy", "stability/predictions.npy");

    /**
     * Whether a path relative to a directory is one a save writes ({@code per_attack/pgd-20/adversarial.npy}, say),
     * so that --overwrite may replace it.
     */
    static boolean isSaveEntry(String relative) {
        String[] parts = relative.split("/", -1);
        if (parts.length == 1) {
            return ENTRIES.contains(parts[0]);
        }
        String rest = relative.substring(parts[0].length() + 1);
        return switch (parts[0]) {
            case "stability" -> rest.equals("adversarial.npy") || rest.equals("predictions.npy");
            case "per_attack" -> parts.length == 2 || NESTED.contains(relative.substring(("per_attack/" + parts[1]
                    + "/").length()));
            default -> false;
        };
    }

    /**
     * Writes the directory as a whole ({@link AtomicFiles#writeDirectory}): a directory already at {@code dir} is
     * replaced, none of its files kept, and a failed or killed write leaves it as it was.
     *
     * @return the files written, under {@code dir}
     */
    static List<Path> write(Path dir, AdversarialExamples ex, float[] original, float[] bounds, double linfEps)
            throws IOException {
        return AtomicFiles.writeDirectory(dir, staging -> {
            List<Path> files = new ArrayList<>();
            for (Path p : writeInto(staging, ex, original, bounds, linfEps)) {
                files.add(dir.resolve(staging.relativize(p)));
            }
            return files;
        });
    }

    private static List<Path> writeInto(Path dir, AdversarialExamples ex, float[] original, float[] bounds,
                                        double linfEps) throws IOException {
        List<Path> out = new ArrayList<>();
        int n = ex.size();
        long[] shape = new long[ex.exampleShape().length + 1];
        shape[0] = n;
        System.arraycopy(ex.exampleShape(), 0, shape, 1, ex.exampleShape().length);
        out.add(npy(dir.resolve("adversarial.npy"), ex.data(), shape));
        out.add(npy(dir.resolve("original.npy"), original, shape));
        out.add(npyLongs(dir.resolve("labels.npy"), ex.labels()));
        out.add(npyLongs(dir.resolve("predictions.npy"), ex.predictions()));
        out.add(npyLongs(dir.resolve("clean_predictions.npy"), ex.cleanPredictions()));
        long[] idxShape = shape.length == 4 && shape[1] == 1 ? new long[] {n, shape[2], shape[3]} : shape;
        out.add(idxBytes(dir.resolve("adversarial-images-idx" + idxShape.length + "-ubyte"), ex.data(), original,
                idxShape, bounds, linfEps));
        out.add(idxLabels(dir.resolve("adversarial-labels-idx1-ubyte"), ex.labels()));
        out.add(idxFloats(dir.resolve("adversarial-images-float.idx"), ex.data(), shape));
        for (var en : ex.perAttack().entrySet()) {
            float[] witnesses = en.getValue().data();
            if (witnesses == null) {
                continue;
            }
            Path sub = dir.resolve("per_attack").resolve(fileName(en.getKey()));
            Files.createDirectories(sub);
            out.add(npy(sub.resolve("adversarial.npy"), witnesses, shape));
            out.add(npyLongs(sub.resolve("predictions.npy"), en.getValue().predictions()));
            out.addAll(stability(sub.resolve("stability"), en.getValue().stability(), shape));
        }
        out.addAll(stability(dir.resolve("stability"), ex.stability(), shape));
        if (ex.exampleShape().length == 3 || ex.exampleShape().length == 2) {
            Path png = dir.resolve("grid.png");
            BufferedImage img = grid(ex, original, bounds);
            ImageIO.setUseCache(false); // in memory, not a cache file in java.io.tmpdir (see StudyCharts)
            AtomicFiles.write(png, s -> ImageIO.write(img, "png", s));
            out.add(png);
        }
        return out;
    }

    private static List<Path> stability(Path dir, AdversarialExamples.Stability s, long[] shape) throws IOException {
        if (s == null || s.data() == null) {
            return List.of();
        }
        Files.createDirectories(dir);
        return List.of(npy(dir.resolve("adversarial.npy"), s.data(), shape),
                npyLongs(dir.resolve("predictions.npy"), s.predictions()));
    }

    /** An attack's name as a directory name: {@code autoattack(apgd-ce-100+…)} becomes {@code autoattack_apgd-ce-100_…}. */
    static String fileName(String attack) {
        String f = attack.replaceAll("[^A-Za-z0-9._#-]+", "_").replaceAll("_+$", "").replace('#', '-');
        return f.isEmpty() ? "attack" : f;
    }

    private static Path npy(Path p, float[] data, long[] shape) throws IOException {
        Npy.write(p, data, shape);
        return p;
    }

    private static Path npyLongs(Path p, int[] v) throws IOException {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i];
        }
        Npy.write(p, l, v.length);
        return p;
    }

    private static Path idxBytes(Path p, float[] data, float[] original, long[] dims, float[] bounds,
                                 double linfEps) throws IOException {
        AtomicFiles.write(p, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(0x0800 | dims.length);
            for (long d : dims) {
                out.writeInt((int) d);
            }
            for (int i = 0; i < data.length; i++) {
                out.writeByte(toByte(data[i], original[i], bounds, linfEps));
            }
            out.flush();
        });
        return p;
    }

    private static Path idxLabels(Path p, int[] labels) throws IOException {
        AtomicFiles.write(p, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(0x0801);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
            out.flush();
        });
        return p;
    }

    private static Path idxFloats(Path p, float[] data, long[] dims) throws IOException {
        AtomicFiles.write(p, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(0x0D00 | dims.length);
            for (long d : dims) {
                out.writeInt((int) d);
            }
            for (float v : data) {
                out.writeFloat(v);
            }
            out.flush();
        });
        return p;
    }

    /**
     * A value as an unsigned byte: the level nearest the adversarial value that lies inside the ε-ball around the
     * clean value (a field report: plain rounding moved pixels 26/255 = 0.102 from the clean ones at ε = 0.1). Under
     * L∞ ({@code linfEps} finite) that is the nearest level within ε of the clean value; otherwise (L2, whose ball is
     * per example) the nearest level between the clean and the adversarial value, which is never farther from the
     * clean value than the adversarial one. For clean 8-bit images such a level always exists.
     */
    static int toByte(float v, float clean, float[] bounds, double linfEps) {
        double b = Math.max(0, Math.min(1, unit(v, bounds))) * 255;
        double a = Math.max(0, Math.min(1, unit(clean, bounds))) * 255;
        long nearest = Math.round(b);
        double width = bounds.length != 2 || Float.isInfinite(bounds[0]) || Float.isInfinite(bounds[1]) ? 1
                : (double) bounds[1] - bounds[0]; // as unit() reads the box
        double reach = Double.isFinite(linfEps) ? 255 * linfEps / width : Math.abs(b - a);
        double from = Double.isFinite(linfEps) ? a - reach : Math.min(a, b);
        double to = Double.isFinite(linfEps) ? a + reach : Math.max(a, b);
        long lo = Math.max(0, (long) Math.ceil(from - 1e-4)); // float noise of a fraction of a level
        long hi = Math.min(255, (long) Math.floor(to + 1e-4));
        return (int) (lo <= hi ? Math.max(lo, Math.min(hi, nearest)) : nearest);
    }

    /** Which points the grid shows: broken ones first, in order, then the rest. */
    static int[] gridRows(AdversarialExamples ex) {
        List<Integer> rows = new ArrayList<>();
        for (int pass = 0; pass < 2 && rows.size() < GRID_MAX; pass++) {
            for (int i = 0; i < ex.size() && rows.size() < GRID_MAX; i++) {
                String b = ex.brokenBy()[i];
                boolean brokenByAttack = b != null && !b.equals("clean");
                if (brokenByAttack == (pass == 0)) {
                    rows.add(i);
                }
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    static BufferedImage grid(AdversarialExamples ex, float[] original, float[] bounds) {
        long[] s = ex.exampleShape();
        int c = s.length == 3 ? (int) s[0] : 1;
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        int cellW = Math.max(w * SCALE, 120);
        int cellH = h * SCALE;
        int[] rows = gridRows(ex);
        int width = PAD + 3 * (cellW + PAD);
        int rowH = cellH + TEXT + PAD;
        int height = TEXT + PAD + Math.max(rows.length, 1) * rowH + PAD;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        String[] titles = {"original", "perturbation (x amp)", "adversarial"};
        for (int col = 0; col < 3; col++) {
            g.drawString(titles[col], PAD + col * (cellW + PAD), TEXT - 2);
        }
        int len = ex.data().length / Math.max(ex.size(), 1);
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            int y0 = TEXT + PAD + r * rowH;
            int off = i * len;
            double amp = 0;
            for (int j = 0; j < len; j++) {
                amp = Math.max(amp, Math.abs(ex.data()[off + j] - original[off + j]));
            }
            for (int col = 0; col < 3; col++) {
                int x0 = PAD + col * (cellW + PAD);
                for (int yy = 0; yy < h; yy++) {
                    for (int xx = 0; xx < w; xx++) {
                        int[] rgb = new int[3];
                        for (int k = 0; k < 3; k++) {
                            int ch = c == 3 ? k : 0;
                            int j = off + (ch * h + yy) * w + xx;
                            double v = switch (col) {
                                case 0 -> unit(original[j], bounds);
                                case 1 -> amp == 0 ? 0.5 : 0.5 + 0.5 * (ex.data()[j] - original[j]) / amp;
                                default -> unit(ex.data()[j], bounds);
                            };
                            rgb[k] = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
                        }
                        g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
                        g.fillRect(x0 + xx * SCALE, y0 + yy * SCALE, SCALE, SCALE);
                    }
                }
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(x0 - 1, y0 - 1, w * SCALE + 1, cellH + 1);
                g.setColor(Color.BLACK);
                String label = switch (col) {
                    case 0 -> "true " + name(ex, ex.labels()[i]) + ", pred " + name(ex, ex.cleanPredictions()[i]);
                    case 1 -> String.format(java.util.Locale.ROOT, "max |d| %.3f", amp);
                    default -> "pred " + name(ex, ex.predictions()[i])
                            + (ex.predictions()[i] != ex.labels()[i] ? " (wrong)" : "");
                };
                g.drawString(label, x0, y0 + cellH + TEXT - 2);
            }
        }
        g.dispose();
        return img;
    }

    private static double unit(float v, float[] bounds) {
        if (bounds.length != 2 || Float.isInfinite(bounds[0]) || Float.isInfinite(bounds[1])) {
            return v; // no single finite box: pixels are taken as [0, 1]
        }
        return (v - bounds[0]) / (bounds[1] - bounds[0]);
    }

    private static String name(AdversarialExamples ex, int k) {
        return ex.labelNames().get(k);
    }
}
