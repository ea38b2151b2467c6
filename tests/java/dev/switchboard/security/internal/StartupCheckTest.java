package dev.switchboard.security.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start fails, saying why, when the module's initializers did not run (an absolute ordering without the jar). */
class StartupCheckTest {

    private static ServletContext context(Map<String, Object> attributes) {
        return context(attributes, new java.util.ArrayList<>());
    }

    private static ServletContext context(Map<String, Object> attributes, java.util.List<String> filters) {
        return (ServletContext) Proxy.newProxyInstance(StartupCheckTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getContextPath" -> "/app";
                    case "getClassLoader" -> StartupCheckTest.class.getClassLoader();
                    case "addFilter" -> {
                        filters.add((String) args[0]);
                        yield null; // as if the application had registered it already
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void withoutTheInitializersTheStartFailsNamingTheFix() {
        assertThatThrownBy(() -> new StartupCheck().check(context(new HashMap<>())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/app")
                .hasMessageContaining("<absolute-ordering>").hasMessageContaining("<others/>");
    }

    @Test
    void theCredentialsFilterIsOffOnlyForFalseAndATypoFailsTheStart() {
        org.assertj.core.api.Assertions.assertThat(SecurityInitializer.enabled(null)).isTrue();
        org.assertj.core.api.Assertions.assertThat(SecurityInitializer.enabled(" TRUE ")).isTrue();
        org.assertj.core.api.Assertions.assertThat(SecurityInitializer.enabled("false")).isFalse();
        assertThatThrownBy(() -> SecurityInitializer.enabled("enabled"))
                .hasMessageContaining("switchboard.security.credentials-filter must be true or false, got \"enabled\"");
    }

    @Test
    void theFilterIsRegisteredUnlessSwitchedOffAndTheStartCheckPassesEitherWay() {
        java.util.List<String> on = new java.util.ArrayList<>();
        ServletContext withFilter = context(new HashMap<>(), on);
        new SecurityInitializer().register(withFilter, true);
        org.assertj.core.api.Assertions.assertThat(on).containsExactly(SecurityInitializer.FILTER);
        java.util.List<String> off = new java.util.ArrayList<>();
        ServletContext withoutFilter = context(new HashMap<>(), off);
        new SecurityInitializer().register(withoutFilter, false);
        org.assertj.core.api.Assertions.assertThat(off).isEmpty();
        assertThatCode(() -> new StartupCheck().check(withoutFilter)).doesNotThrowAnyException();
    }

    @Test
    void afterTheInitializerRanTheStartGoesOn() {
        ServletContext context = context(new HashMap<>());
        new SecurityInitializer().onStartup(null, context);
        assertThatCode(() -> new StartupCheck().check(context)).doesNotThrowAnyException();
        assertThatCode(() -> new StartupCheck().check("not a web application")).doesNotThrowAnyException();
    }
}
