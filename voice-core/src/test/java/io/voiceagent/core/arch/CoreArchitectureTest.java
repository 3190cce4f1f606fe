package io.voiceagent.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** voice-core stays framework-free, acyclic, and shows only its ports, model and use cases. */
@AnalyzeClasses(packages = "io.voiceagent.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  @ArchTest static final ArchRule core_uses_only_jdk_and_slf4j = noClasses()
      .that().resideInAPackage("io.voiceagent.core..")
      .should().dependOnClassesThat()
      .resideOutsideOfPackages("io.voiceagent.core..", "java..", "javax.net..", "org.slf4j..")
      .because("voice-core is framework-free: JDK (java.*, javax.net for the SOCKS5 socket factory) and slf4j-api only");

  @ArchTest static final ArchRule no_package_cycles = slices()
      .matching("io.voiceagent.core.(*)..")
      .should().beFreeOfCycles();

  @ArchTest static final ArchRule core_never_knows_adapters = noClasses()
      .that().resideInAPackage("io.voiceagent.core..")
      .should().dependOnClassesThat()
      .resideInAnyPackage("io.voiceagent.rtp..", "io.voiceagent.sip..", "io.voiceagent.exolve..",
          "io.voiceagent.elevenlabs..", "io.voiceagent.app..");

  /** The orchestration's moving parts are internals of the call package. */
  @ArchTest static final ArchRule call_internals_are_package_private = classes()
      .that().resideInAPackage("io.voiceagent.core.service")
      .and().haveSimpleNameEndingWith("Router")
      .or().haveSimpleNameEndingWith("Buffer").and().resideInAPackage("io.voiceagent.core.service")
      .should().notBePublic()
      .because("the public API of core is the ports, the model and CallService");

  @ArchTest static final ArchRule core_reads_no_wall_clock = noClasses()
      .that().resideInAPackage("io.voiceagent.core..")
      .should().callMethod(System.class, "currentTimeMillis")
      .because("time is injected (Clock, nowNanos)");
}
