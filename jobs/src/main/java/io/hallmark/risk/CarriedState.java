package io.hallmark.risk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.hallmark.config.HallmarkConfig;
import io.hallmark.lake.BronzeReader;
import io.hallmark.lake.BronzeSchemas;
import io.hallmark.yearly.DeltaVersions;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A features state carried from one run to the next (under ops/): what it was computed from is in
 * its commit's userMetadata (the cutoff, and the versions and Delta table ids of its bronze inputs),
 * so the next run can tell whether it may advance it, and with which rows: those its inputs gained
 * since (bronze's change data feed). Bronze only gains rows unless ingest removes a killed run's, so
 * a state plus what was inserted since equals a recount; anything else makes the run recount.
 */
final class CarriedState {
  static final String CUTOFF = "cutoff";
  static final String BRONZE_VERSIONS = "bronze_versions";
  /** A bronze table recreated (versions from 0 again) must not pass for the one counted. */
  static final String BRONZE_IDS = "bronze_table_ids";

  private CarriedState() {}

  /**
   * Where a run for cutoff {@code to} stands with a state: advance it from {@code from} (state version
   * {@code stateVersion}) adding each input's {@code inserted} rows, or recount ({@code why} says why);
   * {@code publish}: whether the run's result becomes the new state.
   */
  record Resume(Timestamp from, long stateVersion, Map<String, Dataset<Row>> inserted, String why, boolean publish) {
    boolean advances() {
      return why == null;
    }

    /** "incremental: ..." or "full: ..." for the run's details. */
    String mode() {
      return advances() ? "incremental: advanced from cutoff " + from.toInstant() : "full: " + why;
    }

    static Resume recount(String why, boolean publish) {
      return new Resume(null, -1, Map.of(), why, publish);
    }
  }

  static Resume resume(SparkSession spark, HallmarkConfig config, String statePath, List<String> tables,
      Map<String, Long> bronzeVersions, Timestamp to) {
    String inputs = "bronze " + String.join(" or ", tables);
    if (!config.raw().getBoolean("hallmark.risk.features.incremental")) {
      return Resume.recount("hallmark.risk.features.incremental is off", false);
    }
    if (!tables.stream().allMatch(bronzeVersions::containsKey)) {
      return Resume.recount(inputs + " does not exist yet", false);
    }
    Optional<DeltaVersions.Commit> state = DeltaVersions.lastCommit(spark, statePath);
    if (state.isEmpty()) {
      return Resume.recount("no state yet", true);
    }
    Map<String, Object> metadata = state.get().metadata();
    Object cutoff = metadata.get(CUTOFF);
    Map<?, ?> versions = metadata.get(BRONZE_VERSIONS) instanceof Map<?, ?> m ? m : Map.of();
    if (cutoff == null || !tables.stream().allMatch(t -> versions.get(t) instanceof Number)) {
      return Resume.recount("the state does not record its cutoff and bronze versions", true);
    }
    Timestamp from = Timestamp.from(Instant.parse(cutoff.toString()));
    if (from.after(to)) {
      // a backfill of an earlier date leaves the nightly's state where it is
      return Resume.recount("the state counts to " + cutoff + ", after this cutoff " + to.toInstant(), false);
    }
    if (!tableIds(spark, config, tables).equals(metadata.get(BRONZE_IDS))) {
      return Resume.recount(inputs + " is not the table the state was computed from (recreated?)", true);
    }
    Map<String, Dataset<Row>> inserted = new LinkedHashMap<>();
    for (String table : tables) {
      long stateVersion = ((Number) versions.get(table)).longValue();
      long current = bronzeVersions.get(table);
      if (stateVersion > current) {
        return Resume.recount("the state was computed from bronze " + table + " version " + stateVersion
            + ", newer than its current " + current + " (restored bronze?)", true);
      }
      Optional<BronzeReader.Changes> changes = BronzeReader.changes(spark, config.paths(), table, stateVersion, current);
      if (changes.isEmpty()) {
        return Resume.recount("bronze " + table + " has no change data feed for versions " + (stateVersion + 1)
            + ".." + current, true);
      }
      if (!changes.get().insertsOnly()) {
        return Resume.recount("bronze " + table + " had rows deleted or updated since the state (a killed ingest run removed)",
            true);
      }
      inserted.put(table, changes.get().rows());
    }
    return new Resume(from, state.get().version(), inserted, null, true);
  }

  /**
   * The rows of a bronze table counted at cutoff {@code to} and not at {@code from} ({@code from <= to}):
   * {@code timeColumn} in [from, to) in the current table (its event-year partitions of that range named
   * so Delta prunes the rest), or in {@code inserted} (the rows added since) with an earlier time.
   */
  static Dataset<Row> rowsNewTo(Dataset<Row> current, Dataset<Row> inserted, String timeColumn, Timestamp from,
      Timestamp to) {
    int firstYear = from.toInstant().atOffset(ZoneOffset.UTC).getYear();
    int lastYear = to.toInstant().atOffset(ZoneOffset.UTC).getYear();
    Dataset<Row> inRange = current.filter(col(BronzeSchemas.EVENT_YEAR).between(firstYear, lastYear)
        .and(col(timeColumn).geq(lit(from))).and(col(timeColumn).lt(lit(to))));
    // change-feed rows carry _change_type: brought to the table's columns
    Column[] columns = Arrays.stream(current.columns()).map(c -> col(c)).toArray(Column[]::new);
    return inRange.unionByName(inserted.filter(col(timeColumn).lt(lit(from))).select(columns));
  }

  /** The userMetadata of a state computed at {@code to} from {@code tables} at their current versions. */
  static Map<String, Object> metadata(SparkSession spark, HallmarkConfig config, String step, String asOf,
      Timestamp to, List<String> tables, Map<String, Long> bronzeVersions) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("step", step);
    metadata.put("as_of", asOf);
    metadata.put(CUTOFF, to.toInstant().toString());
    Map<String, Long> versions = new TreeMap<>();
    tables.forEach(t -> versions.put(t, bronzeVersions.get(t)));
    metadata.put(BRONZE_VERSIONS, versions);
    metadata.put(BRONZE_IDS, tableIds(spark, config, tables));
    return metadata;
  }

  private static Map<String, String> tableIds(SparkSession spark, HallmarkConfig config, List<String> tables) {
    Map<String, String> ids = new TreeMap<>();
    for (String table : tables) {
      ids.put(table, DeltaTable.forPath(spark, config.paths().bronze(table)).detail().select("id").head().getString(0));
    }
    return ids;
  }
}
