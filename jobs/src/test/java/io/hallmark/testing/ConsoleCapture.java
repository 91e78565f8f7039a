package io.hallmark.testing;

import io.hallmark.jobs.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what the jobs print through {@link Console} (stdout and stderr together) during each test,
 * and afterwards restores the real streams and copies the captured text to stdout, so it still shows
 * in the surefire report. Use as {@code @RegisterExtension final ConsoleCapture console = new ConsoleCapture();}
 * and read {@link #text()} in the test.
 */
public final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @Override
  public void beforeEach(ExtensionContext context) {
    captured.reset();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    Console.redirect(both, both);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Console.redirect(System.out, System.err);
    System.out.print(text());
  }

  /** Everything printed through Console since the test started. */
  public String text() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return text();
  }
}
