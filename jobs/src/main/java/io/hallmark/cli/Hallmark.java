package io.hallmark.cli;

import io.hallmark.config.ConfigError;
import io.hallmark.config.JobFailure;
import io.hallmark.jobs.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Entry point of the jobs jar: {@code hallmark <command> [options]}. */
@Command(
    name = "hallmark",
    mixinStandardHelpOptions = true,
    version = "hallmark 0.1.0",
    description = "Brand-protection statistics and seller counterfeit-risk scores on a Delta lake.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      GenerateCommand.class,
      IngestCommand.class,
      YearlyStatsCommand.class,
      ExportCommand.class,
      DiffCommand.class,
      TrainCommand.class,
      ScoreCommand.class,
      EvaluateCommand.class,
      ExplainCommand.class,
      NightlyCommand.class,
      RunsCommand.class,
      MaintainCommand.class,
      ReportCommand.class,
      NotebookCommand.class
    },
    footer = {"", "Exit codes: 0 success, 1 the job failed, 2 bad usage or configuration."})
public class Hallmark implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Hallmark());
    cli.setExitCodeExceptionMapper(Hallmark::exitCodeOf);
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable cause = rootMessageCarrier(ex);
      Console.error(cause.getMessage() == null ? cause.toString() : cause.getMessage());
      if (!(cause instanceof ConfigError) && !(cause instanceof JobFailure)) {
        // unexpected: keep the trace, but after the one-line message
        ex.printStackTrace(System.err);
      }
      return exitCodeOf(cause);
    });
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("[hallmark] ERROR: " + ex.getMessage() + " (see: " + c.getCommandSpec().qualifiedName() + " --help)");
      return EXIT_USAGE;
    });
    return cli;
  }

  private static Throwable rootMessageCarrier(Throwable ex) {
    Throwable t = ex;
    while (t != null) {
      if (t instanceof ConfigError || t instanceof JobFailure) {
        return t;
      }
      t = t.getCause();
    }
    return ex;
  }

  static int exitCodeOf(Throwable ex) {
    Throwable t = rootMessageCarrier(ex);
    if (t instanceof ConfigError || t instanceof CommandLine.ParameterException) {
      return EXIT_USAGE;
    }
    return EXIT_FAILED;
  }
}
