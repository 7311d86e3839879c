package io.messengerhub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Each package is one capability and depends downward only: no two packages depend on each other, directly or
 * round a cycle, and the base packages depend on none of the others. The picture is in the README's code map.
 */
class PackageDependenciesTest {

    private static final String HUB = "io.messengerhub";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(HUB);

    @Test
    void shouldHaveNoPackageCycle() {
        slices().matching(HUB + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void shouldKeepTheBasePackagesFreeOfTheRest() {
        for (String base : new String[] {"api", "channel", "cluster", "event", "hours", "outbox"}) {
            noClasses().that().resideInAPackage(HUB + "." + base + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(othersThan(base))
                    .because(base + " is a base package: it depends on no other package of the hub")
                    .check(CLASSES);
        }
    }

    @Test
    void shouldLetRoutingAndCustomerDependOnlyOnBasePackages() {
        noClasses().that().resideInAPackage(HUB + ".routing..")
                .should().dependOnClassesThat().resideInAnyPackage(othersThan("routing", "channel"))
                .check(CLASSES);
        noClasses().that().resideInAPackage(HUB + ".customer..")
                .should().dependOnClassesThat().resideInAnyPackage(othersThan("customer", "channel", "event", "outbox", "api"))
                .check(CLASSES);
    }

    /** The standalone broker's login module runs inside the broker, from a jar of its own (target/broker-lib). */
    @Test
    void shouldShipTheBrokersLoginModuleWithNothingOfTheHub() {
        noClasses().that().resideInAPackage(HUB + ".broker.login..")
                .should().dependOnClassesThat().resideOutsideOfPackages(HUB + ".broker.login..", "java..", "javax..",
                        "org.apache.activemq.artemis..", "org.slf4j..")
                .because("the broker has only the JDK, its own classes and this module")
                .check(CLASSES);
    }

    /** Every hub package but these, as ArchUnit package patterns. */
    private static String[] othersThan(String... allowed) {
        var all = new String[] {"admin", "agent", "api", "attachment", "broker", "browser", "channel", "client", "cluster", "console", "conversation",
                "customer", "event", "figures", "hours", "intake", "operations", "outbox", "overflow", "privacy", "routing", "search", "send", "sentiment",
                "supervisor", "transcript", "webhook", "workspace"};
        return java.util.Arrays.stream(all).filter(p -> !java.util.List.of(allowed).contains(p))
                .map(p -> HUB + "." + p + "..").toArray(String[]::new);
    }
}
