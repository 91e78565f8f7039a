package io.hallmark.config;

/** A job ran and failed for a reason the user can act on: the CLI turns it into exit code 1. */
public class JobFailure extends RuntimeException {
  public JobFailure(String message) {
    super(message);
  }

  public JobFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
