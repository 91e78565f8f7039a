package io.hallmark.generate;

import java.util.List;
import java.util.Map;

/**
 * What one generation wrote.
 *
 * @param linesPerTable lines written per contract table (all lines, noise included), in contract order
 * @param accounts accounts (= ground-truth rows)
 * @param listingSellers accounts with at least one live listing
 * @param counterfeitSellers accounts that sell counterfeits (ring members and solo counterfeiters)
 * @param rings counterfeit rings
 * @param noiseLines rows of the noise manifest
 * @param files landing files written
 * @param bytes bytes written under the landing folder
 * @param missingNoise noise variants a lake this small had no record for (empty normally)
 */
public record GenerationSummary(
    Map<String, Long> linesPerTable, long accounts, long listingSellers, long counterfeitSellers, long rings,
    long noiseLines, long files, long bytes, double seconds, List<String> missingNoise) {

  public long totalLines() {
    return linesPerTable.values().stream().mapToLong(Long::longValue).sum();
  }
}
