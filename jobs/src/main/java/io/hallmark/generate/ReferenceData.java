package io.hallmark.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Brands, catalog products and influencer handles shared by all sellers. Fixed size (does not grow
 * with --accounts, except the handle pool), built from the seed alone.
 */
final class ReferenceData {
  /** Category vocabulary (free text in the contract); the first three groups are the "luxury look" ones. */
  static final String[] JEWELLERY = {"jewellery/rings", "jewellery/necklaces", "jewellery/bracelets", "jewellery/earrings"};
  static final String[] WATCHES = {"watches"};
  static final String[] BAGS = {"bags/handbags", "bags/wallets"};
  static final String[] MAINSTREAM = {"electronics/audio", "electronics/phones", "home/kitchen", "toys", "apparel",
      "beauty", "sports", "shoes", "books", "garden"};

  static final String[] LUXURY_BRANDS = {"Maison Aurelle", "Verlaine Paris", "Castellano", "Orsini Milano",
      "Lindqvist", "Hartwell & Crane", "Belcourt", "Santoro", "Kaiyo", "Montclair Atelier"};
  static final String[] MAINSTREAM_BRANDS = {"Northpeak", "Zentro", "Bluefin Audio", "Kitchara", "Playwell",
      "Urbanite", "Glowlab", "Stridex", "Pagecraft", "Greenthumb", "Voltara", "Fennec", "Aquilo", "Tessel",
      "Brightside", "Corvo", "Lumio", "Rivet & Co", "Sablewood", "Tandem"};
  /** Mainstream brands that never enrolled in brand protection (absent from the brands table). */
  static final int NOT_ENROLLED = 4;

  record Brand(String name, boolean luxury, String[] categories, long enrolledAt, boolean enrolled) {}

  /** @param reference list price shown in the catalog, or null; {@code typical} is what honest sellers charge */
  record Product(String id, Brand brand, String category, Double reference, double typical, long availableFrom) {}

  final List<Brand> brands = new ArrayList<>();
  final List<Product> products = new ArrayList<>();
  final List<Product> luxuryProducts = new ArrayList<>();
  final List<Product> mainstreamProducts = new ArrayList<>();
  final List<Product> genericLuxuryLook = new ArrayList<>();
  final List<Product> genericOther = new ArrayList<>();
  /** Handles of legitimate influencers and affiliate sites. */
  final List<String> legitTags = new ArrayList<>();
  final List<String> legitTagSource = new ArrayList<>();
  private final Ids tagIds;
  private static final String[] TAG_A = {"luxe", "style", "glow", "daily", "urban", "chic", "trend", "vibe", "deal",
      "finds", "mia", "zoe", "leo", "nova", "ivy", "sky", "lux", "gem", "haul", "look"};
  private static final String[] TAG_B = {"edit", "picks", "shop", "drops", "club", "by.mia", "corner", "diary",
      "world", "official", "hq", "spot", "lane", "box", "life", "closet", "vault", "house", "lab", "studio"};

  ReferenceData(long seed, int fromYear, int toYear, int accounts) {
    SplittableRandom rng = new SplittableRandom(Ids.mix(seed, 0xB8A4D5L));
    long start = Stamps.startOfYear(fromYear);
    long end = Stamps.startOfYear(toYear + 1);
    int i = 0;
    for (String name : LUXURY_BRANDS) {
      String[] cats = switch (i++ % 3) {
        case 0 -> concat(JEWELLERY, WATCHES);
        case 1 -> concat(BAGS, JEWELLERY);
        default -> concat(WATCHES, BAGS, JEWELLERY);
      };
      brands.add(new Brand(name, true, cats, enrolment(rng, start, end), true));
    }
    int m = 0;
    for (String name : MAINSTREAM_BRANDS) {
      String[] cats = {MAINSTREAM[m % MAINSTREAM.length], MAINSTREAM[(m + 3) % MAINSTREAM.length]};
      boolean enrolled = m >= NOT_ENROLLED;
      brands.add(new Brand(name, false, cats, enrolment(rng, start, end), enrolled));
      m++;
    }
    Ids ids = new Ids(Ids.mix(seed, 0xCA7L));
    long counter = 0;
    for (Brand b : brands) {
      int n = b.luxury ? 20 + rng.nextInt(21) : 20 + rng.nextInt(41);
      for (int k = 0; k < n; k++) {
        String cat = b.categories[rng.nextInt(b.categories.length)];
        double typical = b.luxury ? round2(Math.exp(6.5 + 1.0 * rng.nextDouble() * 2.2)) // ~650..6000+
            : round2(Math.exp(2.5 + rng.nextDouble() * 3.8)); // ~12..550
        Double reference = rng.nextDouble() < 0.05 ? null : typical;
        Product p = new Product(ids.of("P", counter++), b, cat, reference, typical, availability(rng, start, end));
        products.add(p);
        (b.luxury ? luxuryProducts : mainstreamProducts).add(p);
      }
    }
    for (int k = 0; k < 360; k++) {
      boolean look = k % 3 == 0;
      String cat = look ? pick(rng, concat(JEWELLERY, WATCHES, BAGS)) : pick(rng, MAINSTREAM);
      double typical = round2(Math.exp(2.3 + rng.nextDouble() * 2.5)); // ~10..120
      Double reference = rng.nextDouble() < 0.15 ? typical : null;
      Product p = new Product(ids.of("P", counter++), null, cat, reference, typical, availability(rng, start, end));
      products.add(p);
      (look ? genericLuxuryLook : genericOther).add(p);
    }
    tagIds = new Ids(Ids.mix(seed, 0x7A6L));
    int legit = Math.max(12, accounts / 60);
    String[] platforms = {"INSTAGRAM", "TIKTOK", "YOUTUBE"};
    for (int k = 0; k < legit; k++) {
      legitTags.add(tag(k));
      legitTagSource.add(platforms[rng.nextInt(platforms.length)]);
    }
  }

  /** A handle that looks like any other: ring handles come from the same namer (index after the legit ones). */
  String tag(long index) {
    String id = tagIds.of("", index).toLowerCase(java.util.Locale.ROOT);
    long h = Ids.mix(index, 31);
    return "@" + TAG_A[(int) Math.floorMod(h, TAG_A.length)] + "." + TAG_B[(int) Math.floorMod(h >>> 20, TAG_B.length)]
        + "_" + id.replaceFirst("^0+", ""); // the opaque id keeps handles unique
  }

  String ringTag(int ringNo) {
    return tag(legitTags.size() + 1000L + ringNo);
  }

  Brand luxuryBrandFor(String category, SplittableRandom rng) {
    List<Brand> fit = new ArrayList<>();
    for (Brand b : brands) {
      if (b.luxury && java.util.Arrays.asList(b.categories).contains(category)) {
        fit.add(b);
      }
    }
    return fit.isEmpty() ? brands.get(rng.nextInt(LUXURY_BRANDS.length)) : fit.get(rng.nextInt(fit.size()));
  }

  private static long enrolment(SplittableRandom rng, long start, long end) {
    // most rights owners enrolled before the period, some during it
    double u = rng.nextDouble();
    long t = u < 0.7 ? start - (long) (rng.nextDouble() * 3 * 365 * Stamps.DAY)
        : start + (long) (rng.nextDouble() * (end - start) * 0.8);
    return t - Math.floorMod(t, 1000L);
  }

  private static long availability(SplittableRandom rng, long start, long end) {
    // most products are in the catalog from the start, the rest are added along the period
    if (rng.nextDouble() < 0.85) {
      return start;
    }
    long t = start + (long) (rng.nextDouble() * (end - start) * 0.7);
    return t - Math.floorMod(t, 1000L);
  }

  static String pick(SplittableRandom rng, String[] a) {
    return a[rng.nextInt(a.length)];
  }

  static <T> T pick(SplittableRandom rng, List<T> a) {
    return a.get(rng.nextInt(a.size()));
  }

  static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] p : parts) {
      all.addAll(java.util.Arrays.asList(p));
    }
    return all.toArray(new String[0]);
  }

  static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  static boolean luxuryLook(String category) {
    return category.startsWith("jewellery/") || category.equals("watches") || category.startsWith("bags/");
  }
}
