package org.widerobust.plugin.cli;

import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.descriptors.network.Families;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.plugin.bench.BenchmarkConfig;
import org.widerobust.plugin.bench.ThroughputBenchmark;
import org.widerobust.plugin.bench.Workload;
import org.widerobust.plugin.report.JsonReports;

/** {@code widerobust bench}: engine throughput on a network family member. */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure examples/s: forward, input gradient, PGD-20 evaluation, PGD-10 and TRADES training steps";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("arch").hasArg().argName("FAMILY").required()
                        .desc("network family: " + Families.HELP + "; mlp and smallcnn get Fashion-MNIST-shaped input, wrn "
                                + "CIFAR-shaped input").build())
                .addOption(Option.builder().longOpt("width").hasArg().argName("K").desc("width factor (default 1)").build())
                .addOption(Option.builder().longOpt("batch").hasArg().argName("B").desc("batch size (default 128)").build())
                .addOption(Option.builder().longOpt("device").hasArg().argName("DEV")
                        .desc("auto, cpu, cuda or cuda:N (default auto)").build())
                .addOption(Option.builder().longOpt("threads").hasArg().argName("T")
                        .desc("compute threads, 0 for all cores (default 0)").build())
                .addOption(Option.builder().longOpt("seconds").hasArg().argName("S")
                        .desc("minimum time per workload (default 5)").build())
                .addOption(Option.builder().longOpt("eps").hasArg().argName("E")
                        .desc("L-inf radius of the training step's PGD (default 0.1)").build())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("seed (default 0)").build())
                .addOption(Option.builder().longOpt("workloads").hasArg().argName("LIST")
                        .desc("comma-separated subset of " + Workload.keys()
                                + " (default all); the others are left out of the report").build())
                .addOption(Option.builder().longOpt("json").hasArg().argName("OUT").desc("write the report as JSON (default: none)").build());
    }

    @Override
    public java.util.List<String> outputFiles() {
        return java.util.List.of("json");
    }

    @Override
    public int run(CommandLine line) {
        BenchmarkConfig cfg = new BenchmarkConfig(line.getOptionValue("arch"),
                Args.doubleValue(line, "width", 1.0), Args.intValue(line, "batch", 128),
                Args.doubleValue(line, "seconds", 5.0), Args.doubleValue(line, "eps", 0.1),
                Args.longValue(line, "seed", 0), BenchmarkConfig.parseWorkloads(line.getOptionValue("workloads")));
        // an unknown family or bad width is refused before the engine starts and the header is printed
        org.widerobust.descriptors.network.Families.create(cfg.arch(), cfg.width());
        try (Engine engine = Args.engine(line)) {
            System.err.printf("widerobust bench: %s k=%s batch %d on %s%n", cfg.arch(), cfg.width(), cfg.batch(),
                    engine.deviceDescription());
            Map<String, Object> report = ThroughputBenchmark.run(cfg, engine);
            for (var e : report.entrySet()) {
                Object v = e.getValue();
                System.out.printf("%-36s %s%n", e.getKey(), v instanceof Double d ? String.format("%.1f", d) : v);
            }
            if (line.hasOption("json")) {
                JsonReports.write(Path.of(line.getOptionValue("json")), report);
            }
        }
        return 0;
    }
}
