package org.widerobust.plugin.cli;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.plugin.model.InputDomain;
import org.widerobust.plugin.train.EpochSummary;
import org.widerobust.plugin.train.NetworkModel;

/**
 * {@code widerobust info --model model.tribuo}: what a model is: network, parameter count, input shape and domain,
 * labels, the device it was trained on and predicts on, its training history and its full provenance.
 */
final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "describe a widerobust model: network, parameters, input domain, device, history, provenance";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("model").hasArg().argName("FILE").required()
                .desc("a widerobust model file (model.tribuo) or a train run's directory").build());
    }

    @Override
    public int run(CommandLine line) throws Exception {
        try (NetworkModel m = ModelFiles.read(Path.of(line.getOptionValue("model")))) {
            System.out.print(describe(m));
        }
        return 0;
    }

    /**
     * The training recipe in one line, from the trainer's recorded configuration: method, then (not for natural
     * training) ε, steps and step size, λ₀ and its rule; epochs, batch and seed. Null if the model records no trainer.
     */
    static String training(NetworkModel m) {
        var trainer = m.getProvenance().getTrainerProvenance();
        if (trainer == null) {
            return null;
        }
        var p = trainer.getConfiguredParameters();
        java.util.function.Function<String, String> v = k -> {
            var x = p.get(k);
            return x == null ? "?" : x instanceof com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance o
                    ? o.getClassName().replaceAll(".*\\.", "") : x.toString();
        };
        String method = v.apply("method");
        StringBuilder t = new StringBuilder(method);
        if (!"natural".equalsIgnoreCase(method)) {
            String rule = p.get("lambdaRule") == null ? "FixedLambda" : v.apply("lambdaRule");
            t.append(", eps ").append(v.apply("epsilon")).append(", ").append(v.apply("attackSteps"))
                    .append(" steps of ").append(v.apply("stepSize")).append(rule.equals("FixedLambda") ? ", lambda "
                            : ", lambda0 ").append(v.apply("lambda"));
            t.append(switch (rule) {
                case "RatioRule" -> " (WAR ratio rule)";
                case "PowerRule" -> " (WAR power rule)";
                case "FixedLambda" -> " (fixed)";
                default -> " (rule " + rule + ")";
            });
        }
        String epochs = v.apply("epochs");
        t.append(", ").append(epochs).append(epochs.equals("1") ? " epoch" : " epochs").append(", batch ")
                .append(v.apply("batchSize")).append(", lr ").append(v.apply("learningRate")).append(", seed ")
                .append(v.apply("seed"));
        return t.toString();
    }

    static String describe(NetworkModel m) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "model        %s%n", m.getName()));
        b.append(String.format(Locale.ROOT, "network      %s%n", m.network()));
        b.append(String.format(Locale.ROOT, "parameters   %d%n", m.network().parameterCount()));
        b.append(String.format(Locale.ROOT, "input        %s (%d features, scale %s)%n",
                Arrays.toString(m.exampleShape()), m.featureNames().size(), m.inputScale()));
        b.append(String.format(Locale.ROOT, "input domain %s%n", InputDomain.describe(m.inputDomain())));
        b.append(String.format(Locale.ROOT, "labels       %s%n", m.labelNames()));
        String training = training(m);
        if (training != null) {
            b.append(String.format(Locale.ROOT, "training     %s%n", training));
        }
        if ("best".equals(org.widerobust.plugin.train.TrainingHistory.checkpoint(m.getProvenance()))) {
            var epochs = m.getProvenance().getTrainerProvenance() == null ? null
                    : m.getProvenance().getTrainerProvenance().getConfiguredParameters().get("epochs");
            b.append(String.format(Locale.ROOT, "checkpoint   the best validation epoch, %d of %s%n", m.history().size(),
                    epochs == null ? "?" : epochs.toString()));
        }
        b.append(String.format(Locale.ROOT, "trained on   %s%n", m.trainedOn()));
        b.append(String.format(Locale.ROOT, "predicts on  %s, batches of %d%n", m.device(), m.predictBatchSize()));
        b.append("history\n");
        if (m.history().isEmpty()) {
            b.append("  (none)\n");
        }
        for (EpochSummary e : m.history()) {
            // the same columns as the train command's epoch lines: the risks, lambda, rho, the Lipschitz proxy and
            // validation where the run had them
            b.append(String.format(Locale.ROOT, "  epoch %d  lr %.5f  loss %.4f  clean %.4f  adv %s%s%n", e.epoch(),
                    e.learningRate(), e.loss(), e.cleanAccuracy(), Double.isNaN(e.adversarialAccuracy()) ? "-"
                            : String.format(Locale.ROOT, "%.4f", e.adversarialAccuracy()),
                    ObjectiveOptions.format(e)));
        }
        b.append("provenance\n");
        b.append(ProvenanceUtil.formattedProvenanceString(m.getProvenance())).append('\n');
        return b.toString();
    }
}
