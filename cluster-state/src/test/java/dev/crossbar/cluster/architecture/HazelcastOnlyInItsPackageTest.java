package dev.crossbar.cluster.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Inside cluster-state, the rules of shared state (ledger, records, members, sealing, leases) are plain Java
 * that the in-memory twins run as they are; only the {@code hazelcast} package carries them over Hazelcast.
 * Plain Jupiter tests rather than {@code @ArchTest} fields: Surefire ran none of those (0 tests reported).
 */
class HazelcastOnlyInItsPackageTest {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.crossbar.cluster");

    @Test
    void rulesOfSharedStateAreFreeOfHazelcastAndVertx() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.crossbar.cluster.hazelcast..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.hazelcast..", "io.vertx..")
                .because("the ledger, records and members run the same rules in memory and over Hazelcast")
                .check(MAIN_CLASSES);
    }
}
