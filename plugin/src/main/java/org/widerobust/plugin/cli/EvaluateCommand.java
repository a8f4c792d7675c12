package org.widerobust.plugin.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code widerobust evaluate}: robust accuracy of a model under a cascade of attacks, as a table and optionally
 * JSON. Example: {@code widerobust evaluate --model model.onnx --data fashion-mnist --limit 1000 --attack pgd
 * --eps 0.03 --steps 20 --json out.json}.
 */
final class EvaluateCommand implements Command {
    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "robust accuracy of a model under attacks (table and JSON)";
    }

    @Override
    public Options options() {
        return EvaluationOptions.define();
    }

    @Override
    public java.util.List<String> outputFiles() {
        return java.util.List.of("json");
    }

    @Override
    public int run(CommandLine line) throws Exception {
        EvaluationOptions o = EvaluationOptions.parse(line);
        EvaluationRunner.Run run = EvaluationRunner.run(o, "evaluate");
        System.out.print(ResultTable.format(run, o));
        if (o.json() != null) {
            JsonReport.write(JsonReport.build(name(), run, o), o.json());
            System.out.println("wrote " + o.json());
        }
        return 0;
    }
}
