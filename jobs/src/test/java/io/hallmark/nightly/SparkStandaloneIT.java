package io.hallmark.nightly;

import static io.hallmark.testing.SparkTestSupport.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hallmark.config.LakePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness on its own: a standalone Master and Worker as separate JVMs, and the jobs jar submitted
 * with SparkSubmit runs a Delta read on an executor of that worker (here `hallmark runs`, which needs
 * no landing data). NightlyClusterIT uses the same harness for the nightly itself.
 */
class SparkStandaloneIT {
  @TempDir Path dir;

  @Test
  void theJarSubmittedToAStandaloneClusterReadsTheLakeOnItsExecutors() throws Exception {
    LakePaths lake = new LakePaths(dir.resolve("lake").toString());
    Instant t0 = Instant.parse("2026-11-28T01:00:00Z");
    RunRecord older = new RunRecord("nightly-2024-12-30-x", LocalDate.of(2024, 12, 30), "SUCCEEDED", t0,
        t0.plusSeconds(60), 60.0, "h", 7, null, null, "{\"accounts\":{\"read\":3}}", List.of(
            new StepRecord(1, "ingest", "SUCCEEDED", t0, t0.plusSeconds(60), 60.0, 3L, Map.of(),
                Map.of("bronze.accounts", 1L), "{\"accounts\":{\"read\":3}}", null)));
    RunRecord newer = new RunRecord("nightly-2024-12-31-y", LocalDate.of(2024, 12, 31), "FAILED",
        t0.plusSeconds(86_400), t0.plusSeconds(86_405), 5.0, "h", 8, "ingest", "disk full", null,
        List.of(new StepRecord(1, "ingest", "FAILED", t0, t0, 5.0, null, Map.of(), Map.of(), null, "disk full")));
    JobRuns.upsert(spark(), lake, older);
    JobRuns.upsert(spark(), lake, newer);

    try (SparkStandalone cluster = SparkStandalone.start(dir.resolve("cluster"))) {
      ChildJvm.Result result = cluster.submit(dir, dir.resolve("submit.log"), 600, "runs", "--lake", lake.root(),
          "--limit", "5");
      assertEquals(0, result.exitCode(), result.output());
      // exactly the audit rows written above, newest first, read through the cluster
      assertTrue(result.output().contains(JobRuns.format(List.of(newer, older))), result.output());
      try (Stream<Path> executorLogs = Files.walk(cluster.home().resolve("work"))) {
        assertTrue(executorLogs.anyMatch(p -> p.getFileName().toString().equals("stderr")
                && p.toString().contains("app-")),
            "an executor ran on the worker (work/app-*/N/stderr)");
      }
    }
  }
}
