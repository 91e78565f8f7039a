package io.hallmark.cli;

import io.hallmark.config.JobFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a sample landing zone (all contract tables) and a ground-truth file.")
public class GenerateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new JobFailure("'generate' is not implemented yet");
  }
}
