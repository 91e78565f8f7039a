package io.hallmark.generate;

import io.hallmark.config.ConfigError;
import io.hallmark.generate.ReferenceData.Brand;
import io.hallmark.generate.ReferenceData.Product;
import io.hallmark.generate.SellerSimulator.Unit;
import io.hallmark.generate.SellerSimulator.UnitType;
import io.hallmark.lake.BronzeSchemas;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes a sample landing zone that follows the landing contract, plus (outside it) the ground truth
 * and the noise manifest. Deterministic for a seed: same options, byte-identical files.
 *
 * <p>Memory stays bounded: sellers are simulated one unit at a time, their lines are buffered and
 * spilled in sorted chunks, then merged into one file per table, day folder and part.
 */
public final class SampleLakeGenerator {
  /** Share of records that arrive 1-5 days after their event day (separate part file). */
  static final double LATE_RATE = 0.03;
  private static final long SPILL_BYTES = 48L << 20;

  private SampleLakeGenerator() {}

  public static GenerationSummary generate(GeneratorOptions o) {
    return generate(o, SPILL_BYTES);
  }

  /** @param spillBytes buffered bytes after which a chunk is spilled (tests use a tiny value: same output) */
  static GenerationSummary generate(GeneratorOptions o, long spillBytes) {
    o.validate();
    long t0 = System.nanoTime(); // duration for the summary only; no data depends on it
    Path out = o.out().toAbsolutePath().normalize();
    prepareOut(out, o.force());
    Path truthFile = o.truthFile();
    Path manifestFile = o.manifestFile();
    Path spillDir = null;
    try {
      Files.createDirectories(truthFile.getParent());
      spillDir = Files.createTempDirectory(truthFile.getParent(), ".hallmark-generate-");
      LandingSink sink = new LandingSink(out, spillDir, BronzeSchemas.TABLES);
      Emitter em = new Emitter(sink, o.seed(), o.noiseRate(), LATE_RATE,
          o.layout() == GeneratorOptions.Layout.MONTHLY);
      ReferenceData ref = new ReferenceData(o.seed(), o.fromYear(), o.toYear(), o.accounts());
      writeReferenceTables(ref, em, o);
      List<Unit> plan = plan(o);
      long rings = plan.stream().filter(u -> u.type() == UnitType.RING).count();
      SellerSimulator sim;
      try (BufferedWriter truth = Files.newBufferedWriter(truthFile, StandardCharsets.UTF_8)) {
        truth.write("seller_id,is_counterfeit,scheme\n");
        sim = new SellerSimulator(ref, em, o.seed(), o.fromYear(), o.toYear(), o.rings(), (id, cf, scheme) -> {
          try {
            truth.write(id + "," + cf + "," + scheme + "\n");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        for (Unit u : plan) {
          sim.run(u);
          if (sink.bufferedBytes() > spillBytes) {
            sink.spill();
          }
        }
      }
      // a very small lake may lack a record some forced variant needs: reported, not an error
      List<String> unmet = em.unmetForced();
      Map<String, Long> lines;
      try (BufferedWriter manifest = Files.newBufferedWriter(manifestFile, StandardCharsets.UTF_8)) {
        manifest.write("file,line,table,record_key,expected,expected_by_folder\n");
        lines = sink.finish(manifest);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new GenerationSummary(lines, sim.accounts, sim.listingSellers, sim.counterfeitSellers, rings,
          em.noiseLines, sink.files, sink.bytes, seconds, unmet);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample landing zone under " + out + ": " + e.getMessage(), e);
    } finally {
      if (spillDir != null) {
        deleteTree(spillDir);
      }
    }
  }

  /** Refuses a non-empty landing folder unless forced; forced, it deletes the contract tables' folders. */
  private static void prepareOut(Path out, boolean force) {
    try {
      if (Files.isDirectory(out)) {
        boolean empty;
        try (Stream<Path> s = Files.list(out)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty) {
          if (!force) {
            throw new ConfigError("landing folder " + out + " is not empty; choose an empty --out or add --force "
                + "to replace its table folders");
          }
          for (String t : BronzeSchemas.TABLES) {
            deleteTree(out.resolve(t));
          }
        }
      } else if (Files.exists(out)) {
        throw new ConfigError("--out " + out + " exists and is not a folder");
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out, e);
    }
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }

  /** brands (enrolled rights owners) and catalog, arriving when enrolled / added (at the earliest on day one). */
  private static void writeReferenceTables(ReferenceData ref, Emitter em, GeneratorOptions o) {
    SplittableRandom rng = new SplittableRandom(Ids.mix(o.seed(), 0xBEEFL));
    em.beginUnit(new SplittableRandom(Ids.mix(o.seed(), 0xFACEL)));
    long start = Stamps.startOfYear(o.fromYear());
    for (Brand b : ref.brands) {
      if (!b.enrolled()) {
        continue;
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("brand", b.name());
      r.put("enrolled_at", Stamps.iso(b.enrolledAt(), 0));
      if (b.luxury() || rng.nextBoolean()) {
        r.put("luxury", b.luxury());
      }
      em.emitAt("brands", b.name(), r, Stamps.utcDay(Math.max(start, b.enrolledAt())), 0, false);
    }
    for (Product p : ref.products) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("product_id", p.id());
      if (p.brand() != null) {
        r.put("brand", p.brand().name());
      }
      if (p.reference() != null) {
        r.put("reference_price_usd", p.reference());
      }
      em.emitAt("catalog", p.id(), r, Stamps.utcDay(Math.max(start, p.availableFrom())), 0, false);
    }
  }

  /**
   * Which units, in which order: shares of accounts per kind of seller (counterfeiters ~4.4 %), the
   * anchor seller first, the rest shuffled so rings are spread over the files.
   */
  static List<Unit> plan(GeneratorOptions o) {
    int n = o.accounts();
    SplittableRandom rng = new SplittableRandom(Ids.mix(o.seed(), 0x91A7L));
    List<int[]> units = new ArrayList<>(); // {type ordinal, size}
    int remaining = n - 1;
    int ringAccounts = Math.min(remaining, (int) Math.round(n * 0.04));
    if (ringAccounts < 3) {
      ringAccounts = remaining >= 40 ? 3 : 0;
    }
    remaining -= fillGroups(units, UnitType.RING, ringAccounts, 3, 8, rng);
    int solo = Math.min(remaining, (int) Math.round(n * 0.004));
    remaining -= fill(units, UnitType.SOLO, solo);
    int bad = Math.min(remaining, (int) Math.round(n * 0.06));
    while (bad > 0) {
      int size = Math.min(bad, rng.nextDouble() < 0.55 ? 1 : 2 + rng.nextInt(3));
      units.add(new int[] {UnitType.BAD_ACTOR.ordinal(), size});
      bad -= size;
      remaining -= size;
    }
    remaining -= fill(units, UnitType.RESELLER, Math.min(remaining, (int) Math.round(n * 0.05)));
    remaining -= fill(units, UnitType.PREOWNED, Math.min(remaining, (int) Math.round(n * 0.02)));
    remaining -= fill(units, UnitType.UNBRANDED, Math.min(remaining, (int) Math.round(n * 0.08)));
    remaining -= fill(units, UnitType.DORMANT, Math.min(remaining, (int) Math.round(n * 0.05)));
    int households = Math.min(remaining / 2, (int) Math.round(n * 0.015));
    for (int i = 0; i < households; i++) {
      units.add(new int[] {UnitType.HOUSEHOLD.ordinal(), 2});
      remaining -= 2;
    }
    remaining -= fill(units, UnitType.ORDINARY, remaining);
    for (int i = units.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int[] t = units.get(i);
      units.set(i, units.get(j));
      units.set(j, t);
    }
    List<Unit> plan = new ArrayList<>(units.size() + 1);
    plan.add(new Unit(UnitType.ANCHOR, 1, 0, 0));
    int rings = 0;
    int solos = 0;
    for (int[] u : units) {
      UnitType type = UnitType.values()[u[0]];
      int group = type == UnitType.RING ? ++rings : type == UnitType.SOLO ? ++solos : 0;
      plan.add(new Unit(type, u[1], plan.size(), group));
    }
    return plan;
  }

  private static int fill(List<int[]> units, UnitType type, int count) {
    for (int i = 0; i < count; i++) {
      units.add(new int[] {type.ordinal(), 1});
    }
    return Math.max(0, count);
  }

  private static int fillGroups(List<int[]> units, UnitType type, int total, int min, int max, SplittableRandom rng) {
    int left = total;
    while (left >= min) {
      int size = min + rng.nextInt(max - min + 1);
      if (left - size < min) {
        size = left <= max ? left : left - min;
      }
      units.add(new int[] {type.ordinal(), size});
      left -= size;
    }
    return total - left;
  }
}
