package io.hallmark.notebook.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.apache.spark.sql.SparkSession;

/**
 * JShell's local execution (snippets run in this JVM, so they share its class path and Spark session)
 * that keeps each snippet's value as an object instead of only its toString: JShell hands the kernel a
 * key, {@link #take} gives the object back so the kernel can render a Dataset as a table or an image
 * as a PNG. Each snippet runs on its own thread, which {@link #stop} interrupts after cancelling the
 * Spark jobs it started (Jupyter's "interrupt").
 */
final class CapturingExecutionControl extends LocalExecutionControl {
  private static final String KEY_PREFIX = "hallmark-value:";
  private final Map<String, Object> values = new ConcurrentHashMap<>();
  private final AtomicReference<Thread> running = new AtomicReference<>();

  /** The provider JShell asks for an engine; it hands out {@code control}. */
  static ExecutionControlProvider provider(CapturingExecutionControl control) {
    return new ExecutionControlProvider() {
      @Override
      public String name() {
        return "hallmark-local";
      }

      @Override
      public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return control;
      }
    };
  }

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    AtomicReference<Object> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread snippet = new Thread(() -> {
      try {
        result.set(doitMethod.invoke(null));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "hallmark-cell");
    // Spark resolves classes through the context loader: let it see the classes cells declare
    snippet.setContextClassLoader(doitMethod.getDeclaringClass().getClassLoader());
    running.set(snippet);
    snippet.start();
    try {
      snippet.join();
    } finally {
      running.set(null);
    }
    Throwable t = failure.get();
    if (t instanceof InvocationTargetException ite) {
      throw ite;
    }
    if (t instanceof Exception e) {
      throw e;
    }
    if (t != null) {
      throw new InvocationTargetException(t);
    }
    Object value = result.get();
    if (value == null) {
      return "null"; // what JShell's own engine says for a null (it needs a string; take("null") gives null back)
    }
    String key = KEY_PREFIX + UUID.randomUUID();
    values.put(key, value);
    return key;
  }

  /** The object behind a snippet's value (JShell's SnippetEvent.value()), or null. */
  Object take(String key) {
    return key == null ? null : values.remove(key);
  }

  /** Drops values nobody asked for (declarations' values). */
  void clearValues() {
    values.clear();
  }

  @Override
  public void stop() {
    Thread t = running.get();
    if (t == null) {
      return;
    }
    scala.Option<SparkSession> spark = SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().sparkContext().cancelAllJobs();
    }
    t.interrupt();
  }
}
