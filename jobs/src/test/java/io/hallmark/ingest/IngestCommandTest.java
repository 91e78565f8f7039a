package io.hallmark.ingest;

import static io.hallmark.ingest.IngestJobTest.order;
import static io.hallmark.ingest.IngestJobTest.write;
import static io.hallmark.testing.SparkTestSupport.assertRows;
import static io.hallmark.testing.SparkTestSupport.row;
import static io.hallmark.testing.SparkTestSupport.spark;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.hallmark.cli.Hallmark;
import io.hallmark.config.ConfigError;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.config.PiiKey;
import io.hallmark.jobs.Console;
import io.hallmark.lake.BronzeSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's contract: threshold failure (exit 1, nothing published), key handling (exit 2), recovery. */
class IngestCommandTest {
  private static final String ORDER_RUNS = "order_id STRING NOT NULL, _ingest_run_id STRING NOT NULL";

  @TempDir Path tmp;
  Path landing;
  Path lake;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    landing = tmp.resolve("landing");
    lake = tmp.resolve("lake");
    Console.redirect(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    Console.redirect(System.out, System.err);
    PiiKey.environment = System::getenv;
    System.out.print(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
  }

  private int ingest(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("ingest", "--lake", lake.toString(), "--landing", landing.toString(),
        // keep the shared test session's settings
        "--conf", "spark.sql.shuffle.partitions=2"));
    args.addAll(List.of(extra));
    return Hallmark.execute(args.toArray(String[]::new));
  }

  private Dataset<Row> table(String path) {
    return spark().read().format("delta").load(path);
  }

  private long version(String path) {
    return DeltaTable.forPath(spark(), path).history(1).select("version").first().getLong(0);
  }

  @Test
  void overThresholdExits1WithOneLinePublishesNothingAndCanBeRerun() throws Exception {
    write(landing, "orders/dt=2022-01-01/good.jsonl", order("o1", 1, 5, ""), order("o2", 1, 5, ""));
    assertEquals(0, ingest());
    String orders = lake + "/bronze/orders";
    long ordersVersion = version(orders);
    long quarantineVersion = version(lake + "/bronze/quarantine");

    write(landing, "orders/dt=2022-01-02/bad.jsonl", order("o3", 1, 5, ""), order("o4", 0, 5, ""), "{broken");
    err.reset();
    assertEquals(1, ingest());
    assertEquals("[hallmark] ERROR: ingest failed: table orders rejected 2 of 3 lines (66.7%), above the 5.0% threshold;"
        + " most common reasons: BAD_NUMBER:quantity (1), MALFORMED_JSON (1); nothing was published"
        + " (fix the landing files and re-run, or raise --reject-threshold)\n", err.toString(StandardCharsets.UTF_8));
    // bronze untouched, the file not registered, the failed run recorded
    assertEquals(ordersVersion, version(orders));
    assertEquals(quarantineVersion, version(lake + "/bronze/quarantine"));
    assertRows("order_id STRING NOT NULL", List.of(row("o1"), row("o2")), table(orders).select("order_id"));
    assertRows("source_file STRING NOT NULL", List.of(row("orders/dt=2022-01-01/good.jsonl")), table(lake + "/ops/ingest_files").select("source_file"));
    assertRows("run_id STRING NOT NULL, source_file STRING NOT NULL, lines_read BIGINT NOT NULL, accepted BIGINT NOT NULL,"
            + " duplicates BIGINT NOT NULL, rejected BIGINT NOT NULL, status STRING NOT NULL", List.of(
            row("ingest-2022-01-01-001", "orders/dt=2022-01-01/good.jsonl", 2L, 2L, 0L, 0L, "SUCCEEDED"),
            row("ingest-2022-01-02-001", "orders/dt=2022-01-02/bad.jsonl", 3L, 1L, 0L, 2L, "FAILED")),
        table(lake + "/ops/ingest_runs").select("run_id", "source_file", "lines_read", "accepted", "duplicates", "rejected", "status"));

    // the same drop with a looser threshold goes through, under the next run id of that date
    assertEquals(0, ingest("--reject-threshold", "0.7"));
    assertRows(ORDER_RUNS, List.of(row("o1", "ingest-2022-01-01-001"), row("o2", "ingest-2022-01-01-001"), row("o3", "ingest-2022-01-02-002")),
        table(orders).select("order_id", BronzeSchemas.RUN_ID));
    assertRows("line_number BIGINT NOT NULL, reason STRING NOT NULL", List.of(row(2L, "BAD_NUMBER:quantity"), row(3L, "MALFORMED_JSON")),
        table(lake + "/bronze/quarantine").select("line_number", "reason"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(
        "ingest-2022-01-02-002 orders                  3 read         1 accepted       0 duplicate       2 rejected (66.7%)"),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noKeyExits2SayingHowToSetOne() throws Exception {
    write(landing, "orders/a.jsonl", order("o1", 1, 5, ""));
    PiiKey.environment = name -> null;
    assertEquals(2, ingest());
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains("set HALLMARK_PII_KEY or pass --pii-key-file FILE"), message);
    assertTrue(!Files.exists(lake), "nothing may be written without a key");
  }

  @Test
  void keyFileIsOwnerOnlyAndWinsOverTheEnvironment() throws Exception {
    Path keyFile = PiiKey.createRandomKeyFile(tmp.resolve("secrets/pii-key"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    String secret = Files.readString(keyFile).strip();
    assertEquals(64, secret.length());
    // a second call keeps the existing key (hashes stay comparable across runs)
    PiiKey.createRandomKeyFile(keyFile);
    assertEquals(secret, Files.readString(keyFile).strip());
    HallmarkConfig config = HallmarkConfig.defaults();
    assertEquals(LineValidatorTest.hmac(secret, "x"), PiiKey.resolve(config, keyFile.toString()).hash("x"));
    assertEquals(LineValidatorTest.hmac(secret, "x"),
        PiiKey.resolve(config.with("hallmark.pii.key-file", keyFile.toString()), null).hash("x"));
    PiiKey.environment = name -> "from-env";
    assertEquals(LineValidatorTest.hmac("from-env", "x"), PiiKey.resolve(config, null).hash("x"));
    Files.writeString(tmp.resolve("empty"), "\n");
    org.junit.jupiter.api.Assertions.assertThrows(ConfigError.class, () -> PiiKey.resolve(config, tmp.resolve("empty").toString()));
  }

  @Test
  void rowsOfARunKilledBeforeItsCommitAreRemovedByTheNextRun() throws Exception {
    HallmarkConfig config = HallmarkConfig.defaults().with("hallmark.lake", lake.toString()).with("hallmark.landing", landing.toString());
    write(landing, "orders/dt=2022-01-01/a.jsonl", order("o1", 1, 5, ""));
    new IngestJob().ingest(spark(), config, PiiKey.of("k"), null, 0.05);
    // a run that recorded itself PUBLISHING, wrote bronze and the registry for b.jsonl, then died
    write(landing, "orders/dt=2022-01-02/b.jsonl", order("o2", 1, 5, ""));
    String dead = "ingest-2022-01-02-001";
    spark().createDataFrame(List.of(row(dead, java.sql.Date.valueOf("2022-01-02"), "orders", "orders/dt=2022-01-02/b.jsonl",
            1L, 1L, 0L, 0L, "PUBLISHING")), BronzeSchemas.INGEST_RUNS_SCHEMA)
        .write().format("delta").mode("append").save(lake + "/ops/ingest_runs");
    table(lake + "/bronze/orders")
        .withColumn("order_id", org.apache.spark.sql.functions.lit("o-orphan"))
        .withColumn(BronzeSchemas.RUN_ID, org.apache.spark.sql.functions.lit(dead))
        .write().format("delta").mode("append").save(lake + "/bronze/orders");
    table(lake + "/ops/ingest_files")
        .withColumn("source_file", org.apache.spark.sql.functions.lit("orders/dt=2022-01-02/b.jsonl"))
        .withColumn(BronzeSchemas.RUN_ID, org.apache.spark.sql.functions.lit(dead))
        .write().format("delta").mode("append").save(lake + "/ops/ingest_files");

    new IngestJob().ingest(spark(), config, PiiKey.of("k"), LocalDate.of(2022, 1, 2), 0.05);
    String next = "ingest-2022-01-02-002";
    assertRows(ORDER_RUNS, List.of(row("o1", "ingest-2022-01-01-001"), row("o2", next)),
        table(lake + "/bronze/orders").select("order_id", BronzeSchemas.RUN_ID));
    assertRows("source_file STRING NOT NULL, _ingest_run_id STRING NOT NULL", List.of(row("orders/dt=2022-01-01/a.jsonl", "ingest-2022-01-01-001"), row("orders/dt=2022-01-02/b.jsonl", next)),
        table(lake + "/ops/ingest_files").select(col("source_file"), col(BronzeSchemas.RUN_ID)));
    assertRows("run_id STRING NOT NULL, status STRING NOT NULL", List.of(row("ingest-2022-01-01-001", "SUCCEEDED"), row(dead, "ABORTED"), row(next, "SUCCEEDED")),
        table(lake + "/ops/ingest_runs").select("run_id", "status"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("removed rows of uncommitted ingest run(s) [" + dead + "]"));
  }
}
