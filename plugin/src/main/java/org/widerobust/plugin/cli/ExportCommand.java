package org.widerobust.plugin.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.adapters.files.AtomicFiles;
import org.widerobust.plugin.train.NetworkModel;
import org.widerobust.plugin.train.NetworkModelExport;

/**
 * {@code widerobust export --model model.tribuo --onnx out.onnx}: writes the model's {@code ONNXExportable} form
 * (Tribuo's classifier convention, with its provenance), for Tribuo's {@code ONNXExternalModel} or any ONNX runtime.
 */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a widerobust model as ONNX in Tribuo's classifier convention (with provenance)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("model").hasArg().argName("FILE").required()
                        .desc("a widerobust model file (model.tribuo) or a train run's directory").build())
                .addOption(Option.builder().longOpt("onnx").hasArg().argName("OUT").required()
                        .desc("the ONNX file to write").build())
                .addOption(Option.builder().longOpt("domain").hasArg().argName("NAME")
                        .desc("ONNX model domain (default " + NetworkModelExport.DEFAULT_DOMAIN + ")").build())
                .addOption(Option.builder().longOpt("model-version").hasArg().argName("V")
                        .desc("ONNX model version (default 1)").build());
    }

    @Override
    public List<String> outputFiles() {
        return List.of("onnx");
    }

    @Override
    public int run(CommandLine line) {
        Path out = Path.of(line.getOptionValue("onnx"));
        long version = Args.longValue(line, "model-version", 1);
        try (NetworkModel m = ModelFiles.read(Path.of(line.getOptionValue("model")))) {
            byte[] bytes = m.exportONNXModel(line.getOptionValue("domain", NetworkModelExport.DEFAULT_DOMAIN),
                    version).toByteArray();
            try {
                org.widerobust.plugin.report.JsonReports.writeAtomically(out, bytes);
            } catch (IOException e) {
                throw new CliException("--onnx: cannot write " + out + ": " + AtomicFiles.reason(e), e);
            }
            System.out.printf("wrote %s (%s, input [N, %d] -> output [N, %d] probabilities, %d bytes)%n", out,
                    m.network().name(), m.featureNames().size(), m.labelNames().size(), bytes.length);
        }
        return 0;
    }
}
