package io.wsrouter.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape every facade keeps: final, deprecated for removal since 1.0, and holding one canonical
 * router and no other field (so it cannot grow state or a routing path of its own).
 */
@SuppressWarnings("removal")
class FacadeShapeTest {

    @ParameterizedTest
    @ValueSource(classes = {MessageRouter.class, QualityMessageRouter.class, WebSocketEventRouter.class})
    void aFacadeIsFinalDeprecatedForRemovalAndHoldsOnlyItsCanonicalRouter(Class<?> facade) {
        assertThat(Modifier.isFinal(facade.getModifiers())).as("final").isTrue();
        assertThat(Modifier.isPublic(facade.getModifiers())).as("public").isTrue();
        Deprecated deprecated = facade.getAnnotation(Deprecated.class);
        assertThat(deprecated).as("@Deprecated").isNotNull();
        assertThat(deprecated.since()).isEqualTo("1.0");
        assertThat(deprecated.forRemoval()).isTrue();

        List<Field> fields = Arrays.stream(facade.getDeclaredFields()).filter(f -> !f.isSynthetic()).toList();
        assertThat(fields).hasSize(1);
        Field only = fields.get(0);
        assertThat(only.getType()).isEqualTo(CanonicalMessageRouter.class);
        assertThat(Modifier.isFinal(only.getModifiers()) && Modifier.isPrivate(only.getModifiers())
                && !Modifier.isStatic(only.getModifiers())).as("private final instance field").isTrue();
    }

    @ParameterizedTest
    @ValueSource(classes = {MessageRouter.class, QualityMessageRouter.class, WebSocketEventRouter.class})
    void everyFacadeCanBeBuiltOverASharedCanonicalRouter(Class<?> facade) throws Exception {
        CanonicalMessageRouter canonical = CanonicalMessageRouter.builder().build();

        Object built = facade.getConstructor(CanonicalMessageRouter.class).newInstance(canonical);

        assertThat(facade.getMethod("canonical").invoke(built)).isSameAs(canonical);
    }
}
