package io.hallmark.notebook;

import static org.apache.spark.sql.functions.col;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts of small Datasets for the notebooks, drawn with JFreeChart and returned as images: a cell
 * ending with one shows it as a PNG (the Hallmark kernel renders any {@link java.awt.image.RenderedImage}).
 * Only the named columns reach the driver, at most {@link #MAX_POINTS} rows; a larger Dataset is an
 * error (aggregate it first) rather than a silently partial chart.
 */
public final class Charts {
  public static final int WIDTH = 900;
  public static final int HEIGHT = 450;
  public static final int MAX_POINTS = 100_000;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** One bar per row: {@code category} on the axis, {@code value} as the bar's height. */
  public static BufferedImage bars(Dataset<Row> data, String category, String value, String title, String valueLabel) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Row r : collect(data, category, value)) {
      if (!r.isNullAt(1)) {
        dataset.addValue(number(r, 1), value, String.valueOf(r.get(0)));
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, category, valueLabel, dataset,
        PlotOrientation.VERTICAL, false, false, false);
    return image(chart);
  }

  /** Bars per {@code category}, one colour per {@code series}, side by side or stacked. */
  public static BufferedImage groupedBars(Dataset<Row> data, String category, String series, String value,
      String title, String valueLabel, boolean stacked) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Row r : collect(data, category, series, value)) {
      if (!r.isNullAt(2)) {
        dataset.addValue(number(r, 2), String.valueOf(r.get(1)), String.valueOf(r.get(0)));
      }
    }
    JFreeChart chart = stacked
        ? ChartFactory.createStackedBarChart(title, category, valueLabel, dataset, PlotOrientation.VERTICAL, true, false, false)
        : ChartFactory.createBarChart(title, category, valueLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    return image(chart);
  }

  /** One line per column of {@code ys} against the numeric column {@code x}; null points are skipped. */
  public static BufferedImage lines(Dataset<Row> data, String x, List<String> ys, String title, String yLabel) {
    String[] columns = new String[ys.size() + 1];
    columns[0] = x;
    for (int i = 0; i < ys.size(); i++) {
      columns[i + 1] = ys.get(i);
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    List<XYSeries> series = ys.stream().map(y -> new XYSeries(y, true, true)).toList();
    for (Row r : collect(data, columns)) {
      for (int i = 0; i < ys.size(); i++) {
        if (!r.isNullAt(0) && !r.isNullAt(i + 1)) {
          series.get(i).add(number(r, 0), number(r, i + 1));
        }
      }
    }
    series.forEach(dataset::addSeries);
    JFreeChart chart = ChartFactory.createXYLineChart(title, x, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    return image(chart);
  }

  /**
   * A histogram of {@code value} over [lo, hi] in {@code bins} equal bins, one series per value of
   * {@code group} (e.g. the score distribution by band).
   */
  public static BufferedImage histogram(Dataset<Row> data, String value, String group, int bins, double lo, double hi,
      String title) {
    if (bins < 1 || !(hi > lo)) {
      throw new IllegalArgumentException("histogram needs bins >= 1 and hi > lo, got bins=" + bins + ", [" + lo + ", " + hi + "]");
    }
    Map<String, double[]> byGroup = new LinkedHashMap<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    List<Row> rows = collect(data.orderBy(col(group)), value, group);
    for (Row r : rows) {
      if (!r.isNullAt(0)) {
        sizes.merge(String.valueOf(r.get(1)), 1, Integer::sum);
      }
    }
    Map<String, Integer> filled = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.isNullAt(0)) {
        continue;
      }
      String g = String.valueOf(r.get(1));
      double[] values = byGroup.computeIfAbsent(g, k -> new double[sizes.get(k)]);
      int i = filled.merge(g, 1, Integer::sum) - 1;
      values[i] = number(r, 0);
    }
    HistogramDataset dataset = new HistogramDataset();
    byGroup.forEach((g, values) -> dataset.addSeries(g, values, bins, lo, hi));
    JFreeChart chart = ChartFactory.createHistogram(title, value, "count", dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setForegroundAlpha(0.75f);
    ((XYBarRenderer) plot.getRenderer()).setShadowVisible(false);
    return image(chart);
  }

  /** One point per row: {@code x} against {@code y} (rows with a null on either side are skipped). */
  public static BufferedImage scatter(Dataset<Row> data, String x, String y, String title) {
    XYSeries points = new XYSeries(y + " vs " + x, false, true);
    for (Row r : collect(data, x, y)) {
      if (!r.isNullAt(0) && !r.isNullAt(1)) {
        points.add(number(r, 0), number(r, 1));
      }
    }
    JFreeChart chart = ChartFactory.createScatterPlot(title, x, y, new XYSeriesCollection(points),
        PlotOrientation.VERTICAL, false, false, false);
    return image(chart);
  }

  private static List<Row> collect(Dataset<Row> data, String... columns) {
    org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      cols[i] = col(columns[i]);
    }
    List<Row> rows = data.select(cols).limit(MAX_POINTS + 1).collectAsList();
    if (rows.size() > MAX_POINTS) {
      throw new IllegalArgumentException("more than " + MAX_POINTS + " rows to chart: aggregate or sample the Dataset first");
    }
    return rows;
  }

  private static double number(Row r, int i) {
    Object v = r.get(i);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("column " + r.schema().fields()[i].name() + " is not numeric: " + v);
  }

  private static BufferedImage image(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    return chart.createBufferedImage(WIDTH, HEIGHT);
  }
}
