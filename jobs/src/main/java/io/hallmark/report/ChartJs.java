package io.hallmark.report;

import io.hallmark.config.JobFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Chart.js from its WebJar (org.webjars.npm:chart.js) on the classpath: the UMD build is inlined into
 * the page so it opens with no network.
 */
final class ChartJs {
  private static final String POM_PROPERTIES = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  private ChartJs() {}

  static String version() {
    try (InputStream in = ChartJs.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        throw new JobFailure("Chart.js WebJar not on the classpath (" + POM_PROPERTIES + " missing); rebuild the jar");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new JobFailure("cannot read the Chart.js WebJar: " + e.getMessage(), e);
    }
  }

  static String displayName() {
    return "Chart.js " + version();
  }

  /** The UMD bundle's source text (defines the global {@code Chart}). */
  static String script() {
    String resource = "/META-INF/resources/webjars/chart.js/" + version() + "/dist/chart.umd.js";
    try (InputStream in = ChartJs.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new JobFailure("Chart.js bundle " + resource + " missing from the classpath; rebuild the jar");
      }
      String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (js.toLowerCase().contains("</script")) {
        throw new JobFailure("Chart.js bundle contains '</script' and cannot be inlined");
      }
      return js;
    } catch (IOException e) {
      throw new JobFailure("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }
}
