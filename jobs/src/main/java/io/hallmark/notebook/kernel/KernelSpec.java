package io.hallmark.notebook.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hallmark.config.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jupyter kernel spec of {@link HallmarkKernel}: {@code <jupyter data dir>/kernels/hallmark-java/kernel.json},
 * whose argv starts a JVM with the given options and class path running the kernel on Jupyter's
 * connection file. The notebooks name this kernel in their metadata ({@code kernelspec.name}).
 */
public final class KernelSpec {
  /** The kernel's name: its folder under kernels/, and the notebooks' {@code metadata.kernelspec.name}. */
  public static final String NAME = "hallmark-java";
  public static final String DISPLAY_NAME = "Hallmark (Java)";

  private KernelSpec() {}

  /**
   * The kernel.json content.
   *
   * @param java the java executable
   * @param jvmOptions heap, the Java 17 --add-opens set, -D settings (e.g. -Dhallmark.lake=...)
   * @param classPath Hallmark's jar, Spark's jars, jjava-jupyter and JFreeChart
   */
  public static Map<String, Object> content(String java, List<String> jvmOptions, String classPath) {
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.addAll(jvmOptions);
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Djava.awt.headless"))) {
      argv.add("-Djava.awt.headless=true"); // charts are drawn off-screen
    }
    argv.add("-cp");
    argv.add(classPath);
    argv.add(HallmarkKernel.class.getName());
    argv.add("{connection_file}");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", DISPLAY_NAME);
    spec.put("language", "java");
    // Jupyter's default interrupt is SIGINT, which ends a JVM: ask for an interrupt_request message instead
    spec.put("interrupt_mode", "message");
    spec.put("metadata", Map.of("debugger", false));
    return spec;
  }

  /** Writes kernel.json into {@code <dataDir>/kernels/hallmark-java/}, replacing an older one; returns its path. */
  public static Path install(Path dataDir, Map<String, Object> content) {
    Path dir = dataDir.resolve("kernels").resolve(NAME);
    Path file = dir.resolve("kernel.json");
    try {
      // Jupyter's data dir is on this machine's disk: a file: URI through the one atomic writer
      HadoopFiles.writeString(HadoopFiles.defaultConfiguration(), file.toUri().toString(),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(content));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kernel spec " + file, e);
    }
    return file;
  }
}
