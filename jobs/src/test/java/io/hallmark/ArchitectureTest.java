package io.hallmark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering written in ARCHITECTURE.md: a package may use the packages listed before it,
 * never one listed after it, and the domain packages do not use each other. Production classes only
 * (tests may reach anywhere).
 */
class ArchitectureTest {
  /** Bottom first; the same order as ARCHITECTURE.md's table. */
  static final List<String> LAYERS = List.of(
      "config", "spark", "jobs", "lake", "ingest", "yearly", "risk", "report", "nightly",
      "generate", "notebook", "bench", "cli");

  /** Domain packages: each reads and writes tables, none calls another (nightly runs them in order). */
  static final List<String> DOMAINS = List.of("ingest", "yearly", "risk", "report");

  static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.hallmark");
  }

  @Test
  void everyPackageIsInTheLayering() {
    Set<String> packages = new TreeSet<>();
    classes.forEach(c -> {
      String rest = c.getPackageName().substring("io.hallmark".length());
      packages.add(rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0]);
    });
    assertEquals(new TreeSet<>(LAYERS), packages,
        "a new package needs its place in ArchitectureTest.LAYERS and ARCHITECTURE.md");
  }

  @Test
  void noPackageUsesAPackageAboveIt() {
    List<String> violations = new ArrayList<>();
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> "io.hallmark." + p + "..")
          .toArray(String[]::new);
      EvaluationResult result = noClasses().that().resideInAPackage("io.hallmark." + LAYERS.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(above)
          .allowEmptyShould(true)
          .evaluate(classes);
      result.getFailureReport().getDetails().forEach(violations::add);
    }
    assertEquals(List.of(), violations, "imports that point up the layering (see ARCHITECTURE.md)");
  }

  @Test
  void domainPackagesDoNotUseEachOther() {
    List<String> violations = new ArrayList<>();
    for (String domain : DOMAINS) {
      String[] others = DOMAINS.stream().filter(d -> !d.equals(domain)).map(d -> "io.hallmark." + d + "..")
          .toArray(String[]::new);
      noClasses().that().resideInAPackage("io.hallmark." + domain + "..")
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .evaluate(classes).getFailureReport().getDetails().forEach(violations::add);
    }
    assertEquals(List.of(), violations, "domain packages meet in tables and in nightly, not in code (ARCHITECTURE.md)");
  }
}
