package dev.switchboard.once.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.once.Once;
import jakarta.enterprise.inject.Stereotype;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which {@link Once} applies to an invocation, for the ways a binding can reach a method. */
class OnceBindingTest {

    @Stereotype
    @Once(per = Once.Per.CONNECTION)
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface PerConnection {
    }

    @Stereotype
    @PerConnection
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface ViaAnotherStereotype {
    }

    static class Base {
        public void inherited() {
        }
    }

    @Once(per = Once.Per.CONNECTION)
    static class ClassLevel extends Base {
        public void own() {
        }

        @Once
        public void methodLevel() {
        }
    }

    @PerConnection
    static class Stereotyped {
        public void own() {
        }
    }

    @ViaAnotherStereotype
    static class StereotypedTwice extends Base {
    }

    /** What a container's subclass or proxy of a bean looks like: the class without annotations of its own. */
    static class ContainerSubclass extends ClassLevel {
    }

    @Once
    static class ApplicationLevel {
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        return type.getMethod(name);
    }

    private static InvocationContext invocation(Object target, Method method, Map<String, Object> data) {
        return new InvocationContext() {
            @Override
            public Object getTarget() {
                return target;
            }

            @Override
            public Object getTimer() {
                return null;
            }

            @Override
            public Method getMethod() {
                return method;
            }

            @Override
            public Constructor<?> getConstructor() {
                return null;
            }

            @Override
            public Object[] getParameters() {
                return new Object[0];
            }

            @Override
            public void setParameters(Object[] params) {
            }

            @Override
            public Map<String, Object> getContextData() {
                return data;
            }

            @Override
            public Object proceed() {
                return null;
            }
        };
    }

    private static Once.Per per(Object target, Method method) {
        Once once = OnceInterceptor.binding(invocation(target, method, new HashMap<>()));
        return once == null ? null : once.per();
    }

    @Test
    void onAnInheritedMethodTheBeanClassCountsNotTheDeclaringClass() throws Exception {
        assertThat(per(new ClassLevel(), method(Base.class, "inherited"))).isEqualTo(Once.Per.CONNECTION);
        assertThat(per(new ContainerSubclass(), method(Base.class, "inherited"))).isEqualTo(Once.Per.CONNECTION);
    }

    @Test
    void throughAStereotypeOnTheClassOrAStereotypeOnAStereotype() throws Exception {
        assertThat(per(new Stereotyped(), method(Stereotyped.class, "own"))).isEqualTo(Once.Per.CONNECTION);
        assertThat(per(new StereotypedTwice(), method(Base.class, "inherited"))).isEqualTo(Once.Per.CONNECTION);
    }

    @Test
    void onTheMethodItWinsOverTheClass() throws Exception {
        assertThat(per(new ClassLevel(), method(ClassLevel.class, "methodLevel"))).isEqualTo(Once.Per.APPLICATION);
        assertThat(per(new ClassLevel(), method(ClassLevel.class, "own"))).isEqualTo(Once.Per.CONNECTION);
    }

    @Test
    void withoutATargetTheDeclaringClassIsAllThereIs() throws Exception {
        assertThat(per(null, method(ClassLevel.class, "own"))).isEqualTo(Once.Per.CONNECTION);
        assertThat(per(null, method(Base.class, "inherited"))).isNull();
    }

    @Test
    void theBindingTheContainerReportsComesFirst() throws Exception {
        Once application = ApplicationLevel.class.getAnnotation(Once.class);
        Map<String, Object> data = new HashMap<>();
        data.put(OnceInterceptor.WELD_BINDINGS, Set.of(application));
        Once once = OnceInterceptor.binding(invocation(new ClassLevel(), method(ClassLevel.class, "own"), data));
        assertThat(once.per()).isEqualTo(Once.Per.APPLICATION);

        data.put(OnceInterceptor.WELD_BINDINGS, Set.of()); // bindings that hold no Once: looked up instead
        once = OnceInterceptor.binding(invocation(new ClassLevel(), method(ClassLevel.class, "own"), data));
        assertThat(once.per()).isEqualTo(Once.Per.CONNECTION);
    }
}
