package io.hallmark.notebook.kernel;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's evaluation without Jupyter: cells through {@link HallmarkKernel#eval}, in this JVM
 * (the notebooks themselves run through Jupyter in NotebooksThroughJupyterTest).
 */
class HallmarkKernelTest {
  static HallmarkKernel kernel;

  @BeforeAll
  static void startKernel() {
    spark();
    kernel = new HallmarkKernel();
  }

  @AfterAll
  static void stopKernel() {
    kernel.shell().close();
  }

  @Test
  void aCellsValueIsItsLastExpressionAndVariablesCarryOver() {
    assertNull(kernel.eval("int x = 40;"));
    // a null value (System.setProperty's previous value) is no result, not a failure
    assertNull(kernel.eval("System.setProperty(\"hallmark.kernel-test\", \"set\")"));
    DisplayData shown = kernel.eval("int y = x + 1;\ny + 1");
    assertEquals("42", shown.getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void cellsShareThisJvmsSparkSession() {
    DisplayData shown = kernel.eval(
        "System.identityHashCode(org.apache.spark.sql.SparkSession.getDefaultSession().get())");
    assertEquals(String.valueOf(System.identityHashCode(spark())), shown.getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void aDatasetIsAnHtmlTableOfItsFirstRows() {
    DisplayData shown = kernel.eval("org.apache.spark.sql.SparkSession.getDefaultSession().get()"
        + ".range(0, 60).selectExpr(\"id\", \"concat('<', id, '>') as tag\")");
    String html = (String) shown.getData(MIMEType.TEXT_HTML);
    assertTrue(html.startsWith("<table class=\"hallmark-dataset\">\n<thead><tr><th>id</th><th>tag</th></tr></thead>"), html);
    assertTrue(html.contains("<tr><td>49</td><td>&lt;49&gt;</td></tr>"), html);
    assertTrue(!html.contains("<td>50</td>"), "only the first " + DatasetDisplay.DEFAULT_MAX_ROWS + " rows: " + html);
    assertTrue(html.contains("first 50 rows shown (more rows not shown)"), html);
    String text = (String) shown.getData(MIMEType.TEXT_PLAIN);
    assertEquals("id | tag", text.lines().findFirst().orElseThrow());
    assertEquals("0  | <0>", text.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void aChartIsAPng() throws Exception {
    DisplayData shown = kernel.eval("var spark = org.apache.spark.sql.SparkSession.getDefaultSession().get();\n"
        + "io.hallmark.notebook.Charts.bars(spark.range(3).selectExpr(\"cast(id as string) as k\", \"id * 2 as v\"),"
        + " \"k\", \"v\", \"title\", \"v\")");
    byte[] png = Base64.getMimeDecoder().decode((String) shown.getData(MIMEType.IMAGE_PNG));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(List.of(900, 450), List.of(image.getWidth(), image.getHeight()));
  }

  @Test
  void aFailingSnippetFailsTheCellNamingIt() {
    CellError thrown = assertThrows(CellError.class,
        () -> kernel.eval("int a = 1;\nObject o = null;\no.toString();\nint b = 2;"));
    assertTrue(thrown.getMessage().startsWith("snippet 3 threw java.lang.NullPointerException"), thrown.getMessage());
    assertTrue(thrown.getMessage().contains("in: o.toString();"), thrown.getMessage());
    // the snippets after the failing one did not run
    CellError notDefined = assertThrows(CellError.class, () -> kernel.eval("b + 1"));
    assertTrue(notDefined.getMessage().contains("does not compile") && notDefined.getMessage().contains("b"),
        notDefined.getMessage());
  }

  @Test
  void codeThatDoesNotCompileFailsTheCell() {
    CellError thrown = assertThrows(CellError.class, () -> kernel.eval("int z = undefinedThing;"));
    assertTrue(thrown.getMessage().startsWith("snippet 1 does not compile: "), thrown.getMessage());
    assertTrue(thrown.getMessage().contains("undefinedThing"), thrown.getMessage());
    CellError incomplete = assertThrows(CellError.class, () -> kernel.eval("int q = (1 + 2;"));
    assertTrue(incomplete.getMessage().contains("does not compile") || incomplete.getMessage().contains("incomplete"),
        incomplete.getMessage());
  }

  @Test
  void resetForgetsVariablesButKeepsTheSession() {
    HallmarkKernel own = new HallmarkKernel();
    try {
      own.eval("String kept = \"before\";");
      assertEquals("before", own.eval("kept").getData(MIMEType.TEXT_PLAIN));
      assertNull(own.eval("%reset"));
      CellError gone = assertThrows(CellError.class, () -> own.eval("kept"));
      assertTrue(gone.getMessage().contains("kept"), gone.getMessage());
      assertEquals(String.valueOf(System.identityHashCode(spark())), own.eval(
          "System.identityHashCode(org.apache.spark.sql.SparkSession.getDefaultSession().get())")
          .getData(MIMEType.TEXT_PLAIN));
    } finally {
      own.shell().close();
    }
  }
}
