package org.widerobust.plugin.cli;

import java.util.List;

/** The registry of launcher verbs. */
final class Commands {
    private Commands() {}

    static List<Command> all() {
        return List.of(
                new TrainCommand(),
                new EvaluateCommand(),
                new AttackCommand(),
                new BenchCommand(),
                new ExportCommand(),
                new InfoCommand(),
                new SweepCommand(),
                new ReportCommand(),
                new ReproduceCommand());
    }
}
