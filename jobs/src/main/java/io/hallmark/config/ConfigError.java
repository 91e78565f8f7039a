package io.hallmark.config;

/** Bad usage or configuration: the CLI turns it into exit code 2 and a one-line message. */
public class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
