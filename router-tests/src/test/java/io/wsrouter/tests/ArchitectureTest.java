package io.wsrouter.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.wsrouter.core.CanonicalMessageRouter;
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
                        "io.wsrouter.jetty..", "io.wsrouter.tests..", "io.wsrouter.demo..");
        rule.check(WsrouterClasses.main());
    }

    @Test
    void theJettyAdapterUsesOnlyTheCoreAndEventsApis() {
        noClasses().that().resideInAPackage("io.wsrouter.jetty..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wsrouter.quality..", "io.wsrouter.compat..")
                .check(WsrouterClasses.main());
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

    /** The objects a router is made of; the builder wires them once (issue 13: the router is a facade). */
    private static final java.util.Set<String> COLLABORATORS = java.util.Set.of(
            "Outbound", "Pipeline", "Ingress", "HandlerTable", "Telemetry", "StatisticsRecorder", "FloodGate",
            "DispatcherHost", "Frames", "RejectionLog").stream()
            .map(n -> "io.wsrouter.core." + n).collect(Collectors.toUnmodifiableSet());
    private static final String BUILDER = CanonicalMessageRouter.Builder.class.getName();

    @Test
    void onlyTheBuilderConstructsTheRoutersCollaborators() {
        List<String> elsewhere = WsrouterClasses.main().stream()
                .filter(c -> !c.getName().equals(BUILDER))
                .flatMap(c -> c.getConstructorCallsFromSelf().stream())
                .filter(call -> COLLABORATORS.contains(call.getTargetOwner().getName()))
                .map(JavaCodeUnitAccess::getDescription)
                .collect(Collectors.toList());
        assertThat(elsewhere).as("constructions of the router's collaborators outside its builder").isEmpty();
        // And the rule is not vacuous: the builder does make each of them.
        assertThat(WsrouterClasses.main().get(BUILDER).getConstructorCallsFromSelf().stream()
                .map(call -> call.getTargetOwner().getName()).collect(Collectors.toSet()))
                .containsAll(COLLABORATORS);
        List<String> builtins = WsrouterClasses.main().stream()
                .filter(c -> !c.getName().equals(BUILDER))
                .flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().getName().equals("io.wsrouter.core.BuiltinHandlers"))
                .map(JavaCodeUnitAccess::getDescription)
                .collect(Collectors.toList());
        assertThat(builtins).as("built-in handlers made outside the builder").isEmpty();
    }

    @Test
    void noCoreHelperHoldsOrCallsTheRouter() {
        // The router is a facade: arrows go from it to its helpers, never back.
        noClasses().that().resideInAPackage("io.wsrouter.core")
                .and().doNotHaveFullyQualifiedName(CanonicalMessageRouter.class.getName())
                .and().doNotHaveFullyQualifiedName(BUILDER)
                .should().dependOnClassesThat().haveFullyQualifiedName(CanonicalMessageRouter.class.getName())
                .check(WsrouterClasses.main());
    }

    @Test
    void outsideCoreOnlyFacadesAdaptersAndDemosHoldTheRouter() {
        // Events and quality plug in through the SPIs (ConnectionRegistry, SubDispatcher.Host, RoutingObserver).
        noClasses().that().resideOutsideOfPackages("io.wsrouter.core..", "io.wsrouter.compat..",
                        "io.wsrouter.jetty..", "io.wsrouter.jakarta..", "io.wsrouter.spring..",
                        "io.wsrouter.demo..", "io.wsrouter.bench..", "io.wsrouter.tests..", "io.wsrouter.testkit..")
                .should().dependOnClassesThat().haveFullyQualifiedName(CanonicalMessageRouter.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(BUILDER)
                .check(WsrouterClasses.main());
    }

    private static List<JavaField> instanceFields(JavaClass c) {
        return c.getFields().stream()
                .filter(f -> !f.getModifiers().contains(JavaModifier.STATIC) && !f.getModifiers().contains(JavaModifier.SYNTHETIC))
                .collect(Collectors.toList());
    }

    private static ArchCondition<JavaClass> instanceFieldsAre(String description, int count, Class<?> type) {
        return new ArchCondition<>(description) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<JavaField> fields = instanceFields(c);
                boolean ok = fields.size() == count && fields.stream().allMatch(f -> f.getRawType().isEquivalentTo(type));
                events.add(new SimpleConditionEvent(c, ok, c.getName() + " has the instance fields "
                        + fields.stream().map(f -> f.getRawType().getSimpleName() + " " + f.getName()).collect(Collectors.toList())));
            }
        };
    }

    @Test
    void compatFacadesHoldOnlyTheirCanonicalRouter() {
        // DESIGN section 8: each facade is a final class holding one CanonicalMessageRouter and nothing else that routes.
        classes().that().resideInAPackage("io.wsrouter.compat").and().arePublic()
                .should().haveModifier(JavaModifier.FINAL)
                .andShould(instanceFieldsAre("hold exactly one instance field, of type CanonicalMessageRouter", 1,
                        CanonicalMessageRouter.class))
                .check(WsrouterClasses.main());
        // Their helpers hold no state at all.
        classes().that().resideInAPackage("io.wsrouter.compat").and().areNotPublic()
                .should(instanceFieldsAre("hold no instance field", 0, Object.class))
                .allowEmptyShould(true)
                .check(WsrouterClasses.main());
        // And they never run a handler or the sub-dispatcher themselves: they hand everything to that router.
        noClasses().that().resideInAPackage("io.wsrouter.compat..")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "MessageHandler.handle/canHandle or SubDispatcher.dispatch",
                        call -> (WsrouterClasses.HANDLER_METHODS.contains(call.getName())
                                && call.getTargetOwner().isAssignableTo(io.wsrouter.core.MessageHandler.class))
                                || (call.getName().equals("dispatch")
                                && call.getTargetOwner().isAssignableTo(io.wsrouter.core.SubDispatcher.class))))
                .check(WsrouterClasses.main());
    }
}
