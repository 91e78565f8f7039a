package io.hallmark.ingest;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hallmark.lake.BronzeSchemas;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Duplicate decisions on typed records, without files: contract fields survive the decision. */
class IngestTransformsTest {
  private static final StructType NOTICE_RECORDS =
      BronzeSchemas.NOTICES_SCHEMA.add("raw_line", DataTypes.StringType, false);

  private static Row notice(String id, String outcome, String file, long line) {
    return RowFactory.create(id, "Maison", "L1", "COUNTERFEIT", Timestamp.valueOf("2023-05-03 09:46:51"),
        outcome, null, 2023, "run-1", file, line, "{}");
  }

  @Test
  void noticeOutcomeIsKeptAndNotReplacedByTheDuplicateDecision() {
    Dataset<Row> records = spark().createDataFrame(List.of(
        notice("N1", "VALID", "a.jsonl", 1),
        notice("N2", "INVALID", "a.jsonl", 2),
        notice("N2", "INVALID", "b.jsonl", 1),   // exact re-delivery: duplicate
        notice("N3", "PENDING", "a.jsonl", 3),
        notice("N3", "VALID", "b.jsonl", 2)),    // conflicting versions in one batch: both rejected
        NOTICE_RECORDS);
    Dataset<Row> noBronze = IngestTransforms.acceptedVersions(
        spark().createDataFrame(new ArrayList<Row>(), BronzeSchemas.NOTICES_SCHEMA), records, BronzeSchemas.NOTICES);

    Dataset<Row> decided = IngestTransforms.decideDuplicates(records, noBronze, BronzeSchemas.NOTICES);
    List<String> accepted = IngestTransforms.acceptedRows(decided, BronzeSchemas.NOTICES)
        .select("notice_id", "outcome").collectAsList().stream()
        .map(r -> r.getString(0) + "=" + r.getString(1)).sorted().collect(Collectors.toList());
    assertEquals(List.of("N1=VALID", "N2=INVALID"), accepted);

    List<String> outcomes = IngestTransforms.recordOutcomes(decided, BronzeSchemas.NOTICES)
        .select("source_file", "line_number", "outcome").collectAsList().stream()
        .map(r -> r.getString(0) + ":" + r.getLong(1) + "=" + r.getString(2)).sorted().collect(Collectors.toList());
    assertEquals(List.of("a.jsonl:1=ACCEPTED", "a.jsonl:2=ACCEPTED", "a.jsonl:3=REJECTED",
        "b.jsonl:1=DUPLICATE", "b.jsonl:2=REJECTED"), outcomes);
  }
}
