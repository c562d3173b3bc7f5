package dev.crossbar.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that hold the house up (docs/architecture.md, "Rules"), read from the compiled main code of every
 * module: which module may use which, no package cycles, what the codecs, the gateway and the mock providers may
 * use.
 */
class ArchitectureTest {

    private static final String CODECS = "dev.crossbar.codecs..";
    private static final String CLUSTER = "dev.crossbar.cluster..";
    private static final String GATEWAY = "dev.crossbar.gateway..";
    private static final String[] RIG = {"dev.crossbar.launcher..", "dev.crossbar.mock..", "dev.crossbar.bench.."};

    /** The one gateway class that builds the cluster member (the composition root), with its nested classes. */
    private static final String COMPOSITION_ROOT = "dev.crossbar.gateway.node.GatewayNode";

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.crossbar");
    }

    @Test
    void modulesPointOneWay() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("protocol-codecs")
                .definedBy(CODECS)
                .layer("cluster-state")
                .definedBy(CLUSTER)
                .layer("gateway-node")
                .definedBy(GATEWAY)
                .layer("load-tests")
                .definedBy(RIG)
                .whereLayer("load-tests")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("gateway-node")
                .mayOnlyBeAccessedByLayers("load-tests")
                .whereLayer("protocol-codecs")
                .mayOnlyBeAccessedByLayers("gateway-node", "load-tests")
                .whereLayer("cluster-state")
                .mayOnlyBeAccessedByLayers("gateway-node", "load-tests")
                .check(classes);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("dev.crossbar.(**)")
                .should()
                .beFreeOfCycles()
                // Known, in the test rig only: the launcher dispatches `bench`, and the benchmarks start nginx and
                // nodes through the launcher's helpers. One harness in load-tests (issue 13 point 5) ends it.
                .ignoreDependency(
                        JavaClass.Predicates.resideInAPackage("dev.crossbar.launcher.."),
                        JavaClass.Predicates.resideInAPackage("dev.crossbar.bench.."))
                .check(classes);
    }

    @Test
    void codecsKnowNothingOfHttpOrClusters() {
        noClasses()
                .that()
                .resideInAPackage(CODECS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "io.netty..", "com.hazelcast..")
                .check(classes);
    }

    @Test
    void hazelcastLivesInClusterState() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.crossbar.cluster.hazelcast..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.hazelcast..", "io.vertx.spi.cluster.hazelcast..")
                .because("shared state is typed and owned by cluster-state, and only its hazelcast package carries it"
                        + " over Hazelcast (DESIGN.md 1)")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootBuildsTheMember() {
        noClasses()
                .that()
                .resideOutsideOfPackage(CLUSTER)
                .and(compositionRoot().negate())
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.crossbar.cluster.hazelcast..")
                .because("the gateway sees cluster state through typed interfaces; only its composition root builds"
                        + " the member")
                .check(classes);
    }

    @Test
    void rulesOfSharedStateArePlainJava() {
        noClasses()
                .that()
                .resideInAPackage(CLUSTER)
                .and()
                .resideOutsideOfPackage("dev.crossbar.cluster.hazelcast..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx..")
                .because("the ledger, records, members and leases run the same rules in memory and over Hazelcast")
                .check(classes);
    }

    @Test
    void mocksAreAnIndependentReferee() {
        noClasses()
                .that()
                .resideInAPackage("dev.crossbar.mock..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(CODECS, CLUSTER, GATEWAY)
                .because("a mock provider that used the codecs would agree with their bugs")
                .check(classes);
    }

    private static DescribedPredicate<JavaClass> compositionRoot() {
        return DescribedPredicate.describe(
                "are the composition root", c -> outermost(c.getName()).equals(COMPOSITION_ROOT));
    }

    private static String outermost(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }
}
