package io.hallmark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the sample report in headless Chromium (Debian's chromium, installed by bin/test): the page
 * must run without a console message or script error, every chart must have been drawn by Chart.js,
 * and every number shown must match the exported CSV. Leaves a screenshot in
 * jobs/target/report-screenshot/report.png. Fails (does not skip) when Chromium is missing.
 */
class ReportBrowserTest {
  static final Path ARTIFACTS = Path.of(System.getProperty("hallmark.project.root", ".."), "jobs", "target", "report-screenshot");

  static SampleReport sample;
  static Document dom;
  static String chromiumLog;

  @BeforeAll
  static void openInChromium() throws Exception {
    String chromium = findChromium();
    sample = SampleReport.get();
    Files.createDirectories(ARTIFACTS);
    Path page = sample.out.resolve(ReportWriter.HTML);
    Path dumped = ARTIFACTS.resolve("dom.html");
    chromiumLog = runChromium(chromium, List.of("--virtual-time-budget=10000", "--dump-dom", page.toUri().toString()),
        dumped);
    dom = Jsoup.parse(Files.readString(dumped, StandardCharsets.UTF_8));
    Path png = ARTIFACTS.resolve("report.png");
    Files.deleteIfExists(png);
    runChromium(chromium, List.of("--virtual-time-budget=10000", "--hide-scrollbars", "--window-size=1280,1900",
        "--screenshot=" + png, page.toUri().toString()), ARTIFACTS.resolve("screenshot-stdout.txt"));
  }

  static String findChromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    fail("Chromium is not installed (no 'chromium' on PATH). The report test needs it: run bin/test, which installs "
        + "Debian's chromium package, or 'apt-get install -y chromium' as root.");
    return null;
  }

  /** One headless run with a fresh profile; stdout to {@code stdout}, returns stderr (the console log). */
  static String runChromium(String chromium, List<String> action, Path stdout) throws Exception {
    Path profile = Files.createTempDirectory("hallmark-chromium");
    Path stderr = Files.createTempFile("hallmark-chromium", ".log");
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--force-device-scale-factor=1", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
    cmd.addAll(action);
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish within 180 s: " + cmd);
    }
    String log = Files.readString(stderr, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "chromium failed: " + cmd + "\n" + log);
    return log;
  }

  @Test
  void pageRunsWithoutConsoleMessagesOrScriptErrors() {
    Element body = dom.body();
    assertEquals("true", body.attr("data-report-ready"), "the render script did not finish");
    assertEquals("[]", body.attr("data-errors"), "script errors or console errors/warnings in the page");
    List<String> console = chromiumLog.lines().filter(l -> l.contains(":CONSOLE")).toList();
    assertTrue(console.isEmpty(), "console output while loading the page:\n" + String.join("\n", console));
  }

  @Test
  void everyChartWasDrawn() {
    Element body = dom.body();
    assertEquals(String.valueOf(ReportMetrics.CHARTS.size()), body.attr("data-charts-expected"));
    assertEquals(body.attr("data-charts-expected"), body.attr("data-charts-rendered"));
    for (ReportMetrics.ChartSpec spec : ReportMetrics.CHARTS) {
      Element canvas = dom.getElementById(spec.id());
      assertNotNull(canvas, spec.id());
      assertEquals("true", canvas.attr("data-rendered"), spec.id() + " not rendered");
      assertTrue(Integer.parseInt(canvas.attr("data-series-pixels")) > 200,
          spec.id() + ": too few pixels in the series colours: " + canvas.attr("data-series-pixels"));
    }
  }

  @Test
  void chartsDrawTheExportedYearlyFigures() throws Exception {
    List<Map<String, String>> yearly = csv(ReportWriter.YEARLY_CSV);
    ObjectMapper json = new ObjectMapper();
    // bars of ALL per metric; lines per marketplace (ALL, DE, US) for one metric
    Map<String, List<String[]>> expected = Map.of(
        "chart-pre-listing", List.of(new String[] {"ALL", "accounts_blocked"}, new String[] {"ALL", "accounts_blocked_before_first_listing"}),
        "chart-proactive", List.of(new String[] {"ALL", "proactive_block_share"}, new String[] {"DE", "proactive_block_share"},
            new String[] {"US", "proactive_block_share"}),
        "chart-complaints", List.of(new String[] {"ALL", "counterfeit_complaint_rate"},
            new String[] {"DE", "counterfeit_complaint_rate"}, new String[] {"US", "counterfeit_complaint_rate"}),
        "chart-notices", List.of(new String[] {"ALL", "notices_submitted"}, new String[] {"ALL", "valid_notices"}));
    for (Map.Entry<String, List<String[]>> chart : expected.entrySet()) {
      JsonNode drawn = json.readTree(dom.getElementById(chart.getKey()).attr("data-drawn"));
      assertEquals(chart.getValue().size(), drawn.size(), chart.getKey());
      for (int i = 0; i < drawn.size(); i++) {
        String marketplace = chart.getValue().get(i)[0];
        String metric = chart.getValue().get(i)[1];
        List<BigDecimal> fromCsv = yearly.stream().filter(r -> r.get("marketplace").equals(marketplace))
            .map(r -> new BigDecimal(r.get(metric))).toList();
        List<BigDecimal> onCanvas = new ArrayList<>();
        drawn.get(i).get("data").forEach(v -> onCanvas.add(new BigDecimal(v.asText())));
        assertEquals(4, fromCsv.size());
        for (int y = 0; y < fromCsv.size(); y++) {
          assertEquals(0, fromCsv.get(y).compareTo(onCanvas.get(y)),
              chart.getKey() + " " + marketplace + " " + metric + " year " + y + ": " + fromCsv + " vs " + onCanvas);
        }
      }
    }
  }

  @Test
  void headlineNumbersMatchTheCsv() throws Exception {
    List<Map<String, String>> headline = csv(ReportWriter.HEADLINE_CSV);
    assertEquals(ReportMetrics.HEADLINE.size(), headline.size());
    assertEquals(headline.size(), dom.select("#headline tbody tr").size());
    for (Map<String, String> r : headline) {
      Element row = dom.selectFirst("#headline tr[data-metric=" + r.get("metric") + "]");
      assertNotNull(row, r.get("metric"));
      String kind = ReportMetrics.metric(r.get("metric")).kind().name();
      assertEquals(show(kind, r.get("value")), row.selectFirst("td.value").text(), r.get("metric"));
      assertEquals(show(kind, r.get("previous_value")), row.selectFirst("td.previous").text(), r.get("metric"));
      assertEquals(showChange(kind, r.get("change")), row.selectFirst("td.change").text(), r.get("metric"));
    }
    // and a few read by a person off the fixture: 400 blocks in 2025 against 322 (restated) in 2024
    assertEquals("400 322 +24.2 %", cells("accounts_blocked"));
    assertEquals("98.500 % 93.478 % +5.022 pp", cells("pre_listing_block_share"));
    assertEquals("0.010 % 0.015 % -0.005 pp", cells("counterfeit_complaint_rate"));
    assertEquals("50,000 40,000 +25.0 %", cells("orders"));
    assertEquals("36.5 h 48.0 h -24.0 %", cells("median_hours_registration_to_block"));
  }

  @Test
  void restatementAndSellerTablesMatchTheCsv() throws Exception {
    List<Map<String, String>> restatements = csv(ReportWriter.RESTATEMENTS_CSV);
    List<Element> rows = dom.select("#restatements tbody tr");
    assertEquals(restatements.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = restatements.get(i);
      Element row = rows.get(i);
      String kind = ReportMetrics.metric(r.get("metric")).kind().name();
      assertEquals(r.get("year") + "/" + r.get("marketplace") + "/" + r.get("metric"),
          row.attr("data-year") + "/" + row.attr("data-marketplace") + "/" + row.attr("data-metric"));
      assertEquals(show(kind, r.get("previous_value")), row.selectFirst("td.previous").text());
      assertEquals(show(kind, r.get("current_value")), row.selectFirst("td.current").text());
    }
    List<Map<String, String>> sellers = csv(ReportWriter.SELLERS_CSV);
    List<Element> sellerRows = dom.select("#sellers tbody tr");
    assertEquals(3, sellers.size());
    assertEquals(sellers.size(), sellerRows.size());
    Set<String> pseudonyms = new HashSet<>();
    for (int i = 0; i < sellers.size(); i++) {
      Map<String, String> s = sellers.get(i);
      Element row = sellerRows.get(i);
      assertEquals(s.get("seller"), row.selectFirst("td.seller").text());
      assertEquals(new BigDecimal(s.get("risk_score")).setScale(4, RoundingMode.HALF_UP).toPlainString(),
          row.selectFirst("td.score").text());
      assertEquals(s.get("risk_band"), row.selectFirst("td.band").text());
      List<Element> reasons = row.select("td.reasons li");
      for (int r = 0; r < reasons.size(); r++) {
        assertEquals(s.get("evidence_" + (r + 1)), reasons.get(r).selectFirst(".evidence").text(), row.text());
        assertTrue(reasons.get(r).selectFirst(".code").text().startsWith(s.get("reason_" + (r + 1)) + " ("), row.text());
      }
      assertEquals(s.get("reason_3").isEmpty() ? 2 : 3, reasons.size(), row.text());
      pseudonyms.add(s.get("seller"));
    }
    assertEquals(3, pseudonyms.size());
    assertEquals("evidence of LINKED_TO_BLOCKED: 3 of 10 orders (30 %) LINKED_TO_BLOCKED (+1.500)"
        + " evidence of LOW_PRICE_SHARE: 3 of 10 orders (30 %) LOW_PRICE_SHARE (+0.800)"
        + " evidence of EXTERNAL_REFERRALS: 3 of 10 orders (30 %) EXTERNAL_REFERRALS (+0.400)",
        sellerRows.get(0).selectFirst("td.reasons").text());
  }

  @Test
  void screenshotShowsAPaintedPage() throws Exception {
    BufferedImage png = ImageIO.read(ARTIFACTS.resolve("report.png").toFile());
    assertNotNull(png, "no screenshot written");
    assertEquals(1280, png.getWidth());
    // the chart series colours must be on the screenshot too (the palette's first blue, #1f4e79)
    int blue = 0;
    for (int y = 0; y < png.getHeight(); y += 1) {
      for (int x = 0; x < png.getWidth(); x += 1) {
        int rgb = png.getRGB(x, y);
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        if (Math.abs(r - 0x1f) < 12 && Math.abs(g - 0x4e) < 12 && Math.abs(b - 0x79) < 12) {
          blue++;
        }
      }
    }
    assertTrue(blue > 1000, "series colour barely on the screenshot: " + blue + " pixels");
  }

  private static String cells(String metric) {
    Element row = dom.selectFirst("#headline tr[data-metric=" + metric + "]");
    return row.selectFirst("td.value").text() + " " + row.selectFirst("td.previous").text() + " "
        + row.selectFirst("td.change").text();
  }

  /** The page's display rules, from the CSV's exact decimal text (independent of ReportFormat). */
  static String show(String kind, String csvValue) {
    if (csvValue.isEmpty()) {
      return "n/a";
    }
    BigDecimal v = new BigDecimal(csvValue);
    return switch (kind) {
      case "COUNT" -> String.format(java.util.Locale.US, "%,d", v.longValueExact());
      case "SHARE" -> v.multiply(BigDecimal.valueOf(100)).setScale(3, RoundingMode.HALF_UP).toPlainString() + " %";
      case "HOURS" -> v.setScale(1, RoundingMode.HALF_UP).toPlainString() + " h";
      default -> v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    };
  }

  static String showChange(String kind, String csvValue) {
    if (csvValue.isEmpty()) {
      return "n/a";
    }
    BigDecimal pct = new BigDecimal(csvValue).multiply(BigDecimal.valueOf(100));
    String text = kind.equals("SHARE") ? pct.setScale(3, RoundingMode.HALF_UP).toPlainString() + " pp"
        : pct.setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    return pct.signum() > 0 ? "+" + text : text;
  }

  /** A report CSV as rows of column to text (simple split: the tested columns hold no commas). */
  private static List<Map<String, String>> csv(String name) throws Exception {
    List<String> lines = Files.readAllLines(sample.out.resolve(name), StandardCharsets.UTF_8);
    String[] header = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      assertEquals(header.length, cells.length, "unexpected quoting in " + name + ": " + line);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.add(row);
    }
    return rows;
  }
}
