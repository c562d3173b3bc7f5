package dev.crossbar.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.crossbar.gateway.node.GatewayNode;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast lives in cluster-state: the gateway sees only its typed interfaces. The composition root
 * ({@link GatewayNode}) is the one class that builds the member, and even it reaches Hazelcast only
 * through cluster-state's {@code HazelcastMember}.
 */
class HazelcastStaysInClusterStateTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.crossbar.gateway");

    private static final DescribedPredicate<JavaClass> COMPOSITION_ROOT = DescribedPredicate.describe(
            "the composition root " + GatewayNode.class.getSimpleName(),
            c -> c.getName().equals(GatewayNode.class.getName())
                    || c.getName().startsWith(GatewayNode.class.getName() + "$"));

    @Test
    void gatewayNeverTouchesHazelcast() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.hazelcast..", "io.vertx.spi.cluster.hazelcast..")
                .because("Hazelcast lives in cluster-state (issue 13 point 4)")
                .check(GATEWAY);
    }

    @Test
    void onlyTheCompositionRootBuildsTheMember() {
        noClasses()
                .that(DescribedPredicate.not(COMPOSITION_ROOT))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.crossbar.cluster.hazelcast..")
                .because("the gateway sees cluster state through typed interfaces; only its composition root"
                        + " builds the member")
                .check(GATEWAY);
    }
}
