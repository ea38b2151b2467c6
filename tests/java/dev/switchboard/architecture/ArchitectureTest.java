package dev.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries: applications (the demo and the consumer) use only its public packages; a feature never
 * reaches into another feature's {@code internal}; packages have no cycles. The module's classes come from its jar (or
 * its classes in the reactor), the demo's and the consumer's from their build directories.
 */
class ArchitectureTest {

    /** What an application may not use: every {@code internal} package, the features' contract among them. */
    private static final String[] PRIVATE = {"dev.switchboard..internal.."};

    private static JavaClasses module;
    private static JavaClasses applications;

    @BeforeAll
    static void importClasses() {
        module = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.switchboard").that(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "in the module", c -> !c.getPackageName().startsWith("dev.switchboard.example")
                                && !c.getPackageName().startsWith("dev.switchboard.consumer")));
        Path demo = Path.of("../demo/target/classes");
        Path consumer = Path.of("consumer/target/classes");
        assertThat(demo).as("the demo is built before the tests").isDirectory();
        assertThat(consumer).as("the consumer is built before the tests").isDirectory();
        applications = new ClassFileImporter().importPaths(demo, consumer);
        assertThat(applications.stream().map(JavaClass::getPackageName)).contains("dev.switchboard.example",
                "dev.switchboard.consumer");
        assertThat(Files.exists(demo)).isTrue();
    }

    @Test
    void applicationsUseOnlyThePublicApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(PRIVATE)
                .because("the demo and the consumer are applications: they get what every application gets")
                .check(applications);
    }

    @Test
    void noFeatureReachesIntoAnotherFeaturesInternals() {
        classes().should(new ArchCondition<JavaClass>("use only their own feature's internal package") {
            private final Pattern internal = Pattern.compile("dev\\.switchboard\\.(\\w+)\\.internal(\\..*)?");

            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    Matcher target = internal.matcher(dependency.getTargetClass().getPackageName());
                    if (target.matches() && !origin.getPackageName().startsWith("dev.switchboard." + target.group(1))) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        }).check(module);
    }

    @Test
    void onlyTheFeaturesThatDeliverUseTheDeliveryContract() {
        noClasses().that().resideOutsideOfPackages("dev.switchboard.internal.delivery..",
                        "dev.switchboard.connections.internal..", "dev.switchboard.groups.internal..",
                        "dev.switchboard.monitoring.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.internal.delivery..")
                .because("it is the contract between connections (which implement it), groups and monitoring")
                .check(module);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.switchboard.(**)").should().beFreeOfCycles().check(module);
    }

    @Test
    void fieldsOfNormalScopedBeansAreReadOnlyByTheirOwnClass() {
        // Other beans get a client proxy injected, whose own fields are never set: reading a field through it reads 0.
        fields().that().areDeclaredInClassesThat().areAnnotatedWith(jakarta.enterprise.context.ApplicationScoped.class)
                .and().areNotStatic()
                .should(new ArchCondition<JavaField>("be accessed only by their own class") {
                    @Override
                    public void check(JavaField field, ConditionEvents events) {
                        for (JavaFieldAccess access : field.getAccessesToSelf()) {
                            if (!ownOrNested(access.getOriginOwner(), field.getOwner())) {
                                events.add(SimpleConditionEvent.violated(access, access.getDescription()));
                            }
                        }
                    }
                }).check(module);
    }

    private static boolean ownOrNested(JavaClass origin, JavaClass owner) {
        for (JavaClass c = origin; c != null; c = c.getEnclosingClass().orElse(null)) {
            if (c.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void internalsAreNotPartOfTheApi() {
        // The public types of internal packages are public only for the container (initializers, configurators,
        // beans it instantiates); none may appear in the signatures of the public API.
        noClasses().that().resideOutsideOfPackages(PRIVATE).and().arePublic()
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard..internal..")
                .because("an application must be able to use the API without naming an internal type")
                .check(module.that(com.tngtech.archunit.base.DescribedPredicate.describe("API packages",
                        c -> !c.getPackageName().contains(".internal"))));
    }
}
