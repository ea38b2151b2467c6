package dev.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamespaceLiteralTest {

    @Namespace("chat")
    private static final Object ANNOTATED = null;

    private static Namespace declared() throws NoSuchFieldException {
        return NamespaceLiteralTest.class.getDeclaredField("ANNOTATED").getAnnotation(Namespace.class);
    }

    @Test
    void literalEqualsTheDeclaredAnnotationBothWays() throws Exception {
        Namespace declared = declared();
        Namespace literal = Namespace.Literal.of("chat");
        assertThat(literal).isEqualTo(declared);
        assertThat(declared).isEqualTo(literal);
        assertThat(literal.hashCode()).isEqualTo(declared.hashCode());
        assertThat(literal.annotationType()).isEqualTo(Namespace.class);
    }

    @Test
    void literalsOfDifferentNamespacesDiffer() {
        assertThat(Namespace.Literal.of("a")).isNotEqualTo(Namespace.Literal.of("b"));
        assertThat(Namespace.Literal.of("a")).isEqualTo(Namespace.Literal.of("a"));
    }

    @Test
    void wsConstantIsTheDefaultNamespace() {
        assertThat(Namespace.Literal.WS.value()).isEqualTo("ws");
        assertThat(Namespace.Literal.of("ws")).isSameAs(Namespace.Literal.WS);
    }

    @Test
    void blankNamespaceIsRefusedWithTheValueQuoted() {
        assertThatThrownBy(() -> Namespace.Literal.of(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\" \"");
        assertThatThrownBy(() -> Namespace.Literal.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }
}
