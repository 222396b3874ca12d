package io.wsrouter.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules over the production classes of every module (DESIGN section 1: dependencies
 * point one way; the routing algorithm lives in core).
 */
class ArchitectureTest {

    @Test
    void routerCoreDependsOnNoOtherWsrouterModule() {
        ArchRule rule = noClasses().that().resideInAPackage("io.wsrouter.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.wsrouter.events..", "io.wsrouter.quality..", "io.wsrouter.compat..",
                        "io.wsrouter.tests..", "io.wsrouter.demo..");
        rule.check(WsrouterClasses.main());
    }

    @Test
    void eventsAndQualityDependOnlyOnCore() {
        noClasses().that().resideInAPackage("io.wsrouter.events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wsrouter.quality..", "io.wsrouter.compat..")
                .check(WsrouterClasses.main());
        noClasses().that().resideInAPackage("io.wsrouter.quality..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wsrouter.events..", "io.wsrouter.compat..")
                .allowEmptyShould(true)
                .check(WsrouterClasses.main());
    }

    @Test
    void nothingOutsideCoreRunsTheHandlerChain() {
        // The chain's classes are package-private; what another module could still do is iterate
        // router.handlers() and call them itself. A sub-dispatcher's dispatch() calling its own fixed
        // table is step 3 of the pipeline (entered only from the router) and is the one exception.
        List<String> outside = WsrouterClasses.handlerInvocations().stream()
                .filter(a -> !a.getOriginOwner().getPackageName().equals("io.wsrouter.core"))
                .filter(a -> !WsrouterClasses.isSubDispatcherTable(a))
                .map(JavaCodeUnitAccess::getDescription)
                .collect(Collectors.toList());
        assertThat(outside).as("calls of MessageHandler.handle/canHandle outside io.wsrouter.core").isEmpty();
        noClasses().that().resideOutsideOfPackage("io.wsrouter.core")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "SubDispatcher.dispatch",
                        call -> call.getName().equals("dispatch")
                                && call.getTargetOwner().isAssignableTo(io.wsrouter.core.SubDispatcher.class)))
                .check(WsrouterClasses.main());
    }
}
