package io.wsrouter.tests;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.SubDispatcher;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The production classes of every wsrouter module on the test class path (test classes excluded, so
 * the tests' own handlers do not count), imported once for all architecture tests.
 */
final class WsrouterClasses {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.wsrouter");

    /** The methods through which a handler is asked about or given a message. */
    static final Set<String> HANDLER_METHODS = Set.of("handle", "canHandle");

    private WsrouterClasses() {
    }

    static JavaClasses main() {
        return MAIN;
    }

    /** @return every call or method reference, anywhere in wsrouter, to {@code handle}/{@code canHandle} of a MessageHandler */
    static List<JavaCodeUnitAccess<?>> handlerInvocations() {
        return accessesTo(MessageHandler.class, HANDLER_METHODS);
    }

    /** @return every call or method reference, anywhere in wsrouter, to {@code SubDispatcher.dispatch} */
    static List<JavaCodeUnitAccess<?>> subDispatches() {
        return accessesTo(SubDispatcher.class, Set.of("dispatch"));
    }

    static List<JavaCodeUnitAccess<?>> accessesTo(Class<?> owner, Set<String> names) {
        return MAIN.stream()
                .flatMap(c -> c.getAccessesFromSelf().stream())
                .filter(a -> a instanceof JavaCodeUnitAccess)
                .map(a -> (JavaCodeUnitAccess<?>) a)
                .filter(a -> names.contains(a.getName()) && a.getTargetOwner().isAssignableTo(owner))
                .collect(Collectors.toList());
    }

    /**
     * A sub-dispatcher's own table: a handler called from {@code dispatch} of a {@link SubDispatcher}
     * implementation, which is step 3 of the pipeline and reached only through the canonical router's
     * call to {@code dispatch} (checked separately).
     */
    static boolean isSubDispatcherTable(JavaAccess<?> access) {
        JavaClass origin = access.getOriginOwner();
        return origin.isAssignableTo(SubDispatcher.class) && access.getOrigin().getName().equals("dispatch");
    }

    static Set<String> originClasses(List<? extends JavaAccess<?>> accesses) {
        return accesses.stream().map(a -> a.getOriginOwner().getName()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
