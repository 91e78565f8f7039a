package io.hallmark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hallmark export <table> --out FILE.csv}: one subcommand per exportable table. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a published table as CSV.",
    subcommands = {ExportYearlyStatsCommand.class, ExportRiskScoresCommand.class})
public class ExportCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "say which table to export: yearly-stats or risk-scores");
  }
}
