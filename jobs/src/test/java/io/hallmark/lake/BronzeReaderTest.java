package io.hallmark.lake;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hallmark.config.JobFailure;
import io.hallmark.config.LakePaths;
import io.hallmark.ingest.IngestLake;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bronze version readers read: the last finished ingest run's record, else the latest, never a killed run's. */
class BronzeReaderTest {
  @TempDir Path tmp;

  private LakePaths paths() {
    return new LakePaths(tmp.toString());
  }

  /** Appends one order row (one commit) to bronze orders. */
  private void appendOrder(String orderId) {
    spark().createDataFrame(List.of(RowFactory.create(orderId, "l1", "s1", Timestamp.from(Instant.parse("2022-01-01T00:00:00Z")),
            1L, 1.0, "DIRECT", null, 2022, "run", "orders/x.jsonl", 1L)), BronzeSchemas.ORDERS_SCHEMA)
        .write().format("delta").mode("append").save(paths().bronze(BronzeSchemas.ORDERS));
  }

  private void recordRun(IngestLake lake, String runId, String status) {
    lake.recordRun(spark().createDataFrame(List.of(RowFactory.create(runId, Date.valueOf("2022-01-02"), "orders",
        "orders/x.jsonl", 1L, 1L, 0L, 0L, status)), BronzeSchemas.INGEST_RUNS_SCHEMA));
  }

  @Test
  void theLastFinishedRunsRecordIsReadEvenWhenLaterCommitsCameAfterItElseTheLatestVersion() {
    appendOrder("o1"); // orders version 0
    appendOrder("o2"); // version 1
    // no ingest_runs (a lake from before the record): each table's latest version, absent tables none
    assertEquals(Optional.of(1L), BronzeReader.version(spark(), paths(), BronzeSchemas.ORDERS));
    assertEquals(Optional.empty(), BronzeReader.version(spark(), paths(), BronzeSchemas.NOTICES));
    assertEquals(Map.of(BronzeSchemas.ORDERS, 1L), BronzeReader.committedVersions(spark(), paths()));

    IngestLake lake = new IngestLake(spark(), paths());
    recordRun(lake, "ingest-2022-01-02-001", IngestLake.PUBLISHING);
    lake.commitRun("ingest-2022-01-02-001"); // records orders at version 1
    appendOrder("o3"); // version 2: a later run's rows
    // that later run failed the threshold: its balance rows are the latest ingest_runs commit, without a record
    recordRun(lake, "ingest-2022-01-02-002", IngestLake.FAILED);
    assertEquals(Optional.of(1L), BronzeReader.version(spark(), paths(), BronzeSchemas.ORDERS));
    assertEquals(Map.of(BronzeSchemas.ORDERS, 1L), BronzeReader.committedVersions(spark(), paths()));
    assertEquals(List.of("o1", "o2"), BronzeReader.read(spark(), paths(), BronzeSchemas.ORDERS).select("order_id")
        .orderBy("order_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void aRunKilledWhilePublishingWithNoFinishedRunBeforeItStopsTheRead() {
    appendOrder("o1");
    recordRun(new IngestLake(spark(), paths()), "ingest-2022-01-02-001", IngestLake.PUBLISHING);
    JobFailure failure = assertThrows(JobFailure.class,
        () -> BronzeReader.version(spark(), paths(), BronzeSchemas.ORDERS));
    assertEquals("bronze holds rows of ingest run(s) [ingest-2022-01-02-001] killed while publishing, and no finished"
        + " run recorded the bronze versions before them: run 'hallmark ingest' (or the nightly), which removes those"
        + " rows first, then this command again", failure.getMessage());
  }
}
