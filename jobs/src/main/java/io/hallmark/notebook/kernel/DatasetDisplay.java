package io.hallmark.notebook.kernel;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * A Dataset as a cell's result: an HTML table of its first rows (text/html) and the same rows as
 * aligned text (text/plain), with a line saying when more rows were left out. Only {@code maxRows + 1}
 * rows reach the driver, however large the Dataset.
 */
public final class DatasetDisplay {
  /** Rows shown when {@code -Dhallmark.notebook.max-rows} is not set. */
  public static final int DEFAULT_MAX_ROWS = 50;

  private DatasetDisplay() {}

  static void register(Renderer renderer, int maxRows) {
    renderer.createRegistration(Dataset.class)
        .preferring(MIMEType.TEXT_HTML)
        .supporting(MIMEType.TEXT_PLAIN)
        .register((Dataset ds, RenderContext context) -> {
          @SuppressWarnings("unchecked")
          Table table = Table.of((Dataset<Row>) ds.toDF(), maxRows);
          context.renderIfRequested(MIMEType.TEXT_HTML, table::html);
          context.renderIfRequested(MIMEType.TEXT_PLAIN, table::text);
        });
  }

  static int maxRows() {
    String raw = System.getProperty("hallmark.notebook.max-rows");
    if (raw == null) {
      return DEFAULT_MAX_ROWS;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error
    }
    throw new IllegalArgumentException("-Dhallmark.notebook.max-rows must be a whole number >= 1, got '" + raw + "'");
  }

  /** The collected head of a Dataset. */
  record Table(String[] columns, List<Row> rows, boolean truncated) {
    static Table of(Dataset<Row> ds, int maxRows) {
      List<Row> head = ds.limit(maxRows + 1).collectAsList();
      boolean more = head.size() > maxRows;
      return new Table(ds.columns(), more ? head.subList(0, maxRows) : head, more);
    }

    String html() {
      StringBuilder out = new StringBuilder("<table class=\"hallmark-dataset\">\n<thead><tr>");
      for (String c : columns) {
        out.append("<th>").append(escape(c)).append("</th>");
      }
      out.append("</tr></thead>\n<tbody>\n");
      for (Row r : rows) {
        out.append("<tr>");
        for (int i = 0; i < columns.length; i++) {
          out.append("<td>").append(escape(cell(r, i))).append("</td>");
        }
        out.append("</tr>\n");
      }
      out.append("</tbody>\n</table>\n");
      out.append("<p>").append(footer()).append("</p>\n");
      return out.toString();
    }

    String text() {
      int[] width = new int[columns.length];
      for (int i = 0; i < columns.length; i++) {
        width[i] = columns[i].length();
        for (Row r : rows) {
          width[i] = Math.max(width[i], cell(r, i).length());
        }
      }
      StringBuilder out = new StringBuilder();
      line(out, width, columns);
      for (Row r : rows) {
        String[] cells = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
          cells[i] = cell(r, i);
        }
        line(out, width, cells);
      }
      return out.append(footer()).toString();
    }

    private String footer() {
      return truncated ? "first " + rows.size() + " rows shown (more rows not shown)"
          : rows.size() + (rows.size() == 1 ? " row" : " rows");
    }

    private static void line(StringBuilder out, int[] width, String[] cells) {
      for (int i = 0; i < cells.length; i++) {
        boolean last = i == cells.length - 1;
        out.append(i == 0 ? "" : " | ").append(last ? cells[i] : String.format("%-" + Math.max(1, width[i]) + "s", cells[i]));
      }
      out.append('\n');
    }

    private static String cell(Row r, int i) {
      return r.isNullAt(i) ? "null" : String.valueOf(r.get(i));
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
