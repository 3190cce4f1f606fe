package io.voiceagent.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module dependencies SPEC allows, checked on the assembled class path: adapters depend on the core
 * (and the SIP adapter on voice-rtp's public API, the Exolve HTTP adapter on the SIP adapter's), never on
 * each other otherwise, never on the app, and never on anyone's {@code internal} packages.
 */
@AnalyzeClasses(packages = "io.voiceagent",
    importOptions = {ImportOption.DoNotIncludeTests.class, ModuleBoundariesTest.NoTestJars.class})
class ModuleBoundariesTest {
  /** Test fixtures other modules publish in test-jars (fake servers, the sipp runner) are not product code. */
  static final class NoTestJars implements ImportOption {
    @Override public boolean includes(com.tngtech.archunit.core.importer.Location location) {
      return !location.contains("-tests.jar");
    }
  }

  private static final String[] JDK = {"java..", "javax.net..", "javax.crypto..", "javax.security..", "org.slf4j.."};

  private static String[] plus(String... more) {
    String[] all = new String[JDK.length + more.length];
    System.arraycopy(JDK, 0, all, 0, JDK.length);
    System.arraycopy(more, 0, all, JDK.length, more.length);
    return all;
  }

  @ArchTest static final ArchRule rtp_uses_only_core = noClasses()
      .that().resideInAPackage("io.voiceagent.rtp..")
      .should().dependOnClassesThat().resideOutsideOfPackages(
          plus("io.voiceagent.rtp..", "io.voiceagent.core..", "org.bouncycastle.."))
      .because("voice-rtp may depend on voice-core (and bcprov for SRTP) only");

  @ArchTest static final ArchRule sip_uses_core_rtp_and_jain_sip = noClasses()
      .that().resideInAPackage("io.voiceagent.sip..")
      .should().dependOnClassesThat().resideOutsideOfPackages(
          plus("io.voiceagent.sip..", "io.voiceagent.core..", "io.voiceagent.rtp", "javax.sip..", "gov.nist.."))
      .because("voice-sip-adapter may use voice-core, voice-rtp's public API and jain-sip");

  @ArchTest static final ArchRule elevenlabs_uses_core_okhttp_jackson = noClasses()
      .that().resideInAPackage("io.voiceagent.elevenlabs..")
      .should().dependOnClassesThat().resideOutsideOfPackages(
          plus("io.voiceagent.elevenlabs..", "io.voiceagent.core..", "okhttp3..", "okio..", "kotlin..",
              "com.fasterxml.jackson.."))
      .because("voice-elevenlabs-adapter may use voice-core, okhttp and jackson");

  @ArchTest static final ArchRule exolve_uses_core_okhttp_jackson_and_sip = noClasses()
      .that().resideInAPackage("io.voiceagent.exolve..")
      .should().dependOnClassesThat().resideOutsideOfPackages(
          plus("io.voiceagent.exolve..", "io.voiceagent.core..", "io.voiceagent.sip", "io.voiceagent.rtp",
              "okhttp3..", "okio..", "kotlin..", "com.fasterxml.jackson.."))
      .because("voice-exolve-http-adapter may use voice-core, okhttp, jackson and the SIP adapter's public API");

  @ArchTest static final ArchRule echo_uses_only_core = noClasses()
      .that().resideInAPackage("io.voiceagent.echo..")
      .should().dependOnClassesThat().resideOutsideOfPackages(plus("io.voiceagent.echo..", "io.voiceagent.core.."))
      .because("an AI provider needs nothing but the core");

  @ArchTest static final ArchRule nobody_but_the_app_knows_the_app = noClasses()
      .that().resideOutsideOfPackage("io.voiceagent.app..")
      .should().dependOnClassesThat().resideInAPackage("io.voiceagent.app..");

  @ArchTest static final ArchRule internals_stay_inside_their_module = noClasses()
      .that().resideOutsideOfPackages("io.voiceagent.sip..")
      .should().dependOnClassesThat().resideInAPackage("io.voiceagent.sip.internal..")
      .because("internal packages are nobody else's API");

  @ArchTest static final ArchRule no_one_uses_internals_of_rtp = noClasses()
      .that().resideOutsideOfPackages("io.voiceagent.rtp..")
      .should().dependOnClassesThat().resideInAPackage("io.voiceagent.rtp.internal..")
      .allowEmptyShould(true);
}
