package io.leakscope.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Wires {@link LeakCheck} into JUnit: the first call goes through JUnit, the repeats call the same method. */
public final class LeakCheckExtension implements InvocationInterceptor {
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        LeakCheck check = call.getExecutable().getAnnotation(LeakCheck.class);
        boolean[] first = {true};
        LeakRounds.Result r = LeakRounds.run(check.warmup(), check.iterations(), () -> {
            if (first[0]) {
                first[0] = false;
                invocation.proceed();
                return;
            }
            Method m = call.getExecutable();
            m.setAccessible(true); // JUnit test methods are often package-private
            try {
                m.invoke(call.getTarget().orElse(null), call.getArguments().toArray());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        String failure = r.failure(check.maxGrowth());
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }
}
