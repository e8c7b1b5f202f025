package io.webhookingest.store;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs database work so that its caller cannot cancel it half-way. An HTTP client that disconnects cancels the
 * request's subscription; if that subscription owned a Hibernate Reactive session or transaction, the cancellation
 * could stop it between statements and leak its pooled connection. Work started here always runs to commit or
 * rollback, on a fresh safe Vert.x context of its own (Hibernate Reactive keeps its session there); a cancelled
 * caller only stops waiting for the outcome, which arrives back on the caller's context.
 */
public final class Durable {

    private Durable() {
    }

    public static <T> Uni<T> detached(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = vertx.getOrCreateContext();
            Context context = VertxContext.createNewDuplicatedContext(caller);
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> work.get().subscribe().with(
                    item -> caller.runOnContext(back -> emitter.complete(item)),
                    failure -> caller.runOnContext(back -> emitter.fail(failure))));
        });
    }
}
