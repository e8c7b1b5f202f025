package io.webhookingest.store;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Runs database work so that its caller cannot cancel it half-way. An HTTP client that disconnects cancels the
 * request's subscription; if that subscription owned a Hibernate Reactive session or transaction, the cancellation
 * could stop it between statements and leak its pooled connection. Work started here always runs to commit or
 * rollback; a cancelled caller only stops waiting for the outcome.
 */
public final class Durable {

    private Durable() {
    }

    public static <T> Uni<T> detached(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> work.get().subscribe().with(emitter::complete, emitter::fail));
    }
}
