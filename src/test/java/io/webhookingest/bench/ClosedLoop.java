package io.webhookingest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;

/**
 * Keeps a fixed number of requests in flight, each sent as soon as the one before it was answered: the most requests
 * per second the application answers, with this machine's cores shared by the load generator. Used for the ceiling of
 * the trivial endpoint, and to warm the application up with deliveries before anything is measured.
 */
final class ClosedLoop {

    /**
     * What one run measured. {@code okEachSecond}: the answers accepted in each whole second from the start, in order
     * (a last partial second left out).
     */
    record Rate(double perSecond, long ok, long failed, List<Long> okEachSecond) {
    }

    private ClosedLoop() {
    }

    /**
     * Each chain of requests stays on one event-loop context, one context per core, so that a request's callbacks and
     * its pooled connection never hop between threads.
     */
    static Rate run(Vertx vertx, HttpClient client, Supplier<RequestSpec> request, Consumer<Buffer> accepted,
            int concurrency, Duration duration) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLongArray okEachSecond = new AtomicLongArray((int) duration.toSeconds());
        AtomicInteger running = new AtomicInteger(concurrency);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            contexts.add(vertx.getOrCreateContext());
        }
        for (int i = 0; i < concurrency; i++) {
            contexts.get(i % contexts.size())
                    .runOnContext(ignored -> next(client, request, accepted, start, end, ok, okEachSecond, failed,
                            running, done));
        }
        done.get(duration.toMillis() + 2 * RequestSpec.IDLE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        List<Long> seconds = new ArrayList<>(okEachSecond.length());
        for (int i = 0; i < okEachSecond.length(); i++) {
            seconds.add(okEachSecond.get(i));
        }
        return new Rate(ok.get() / ((System.nanoTime() - start) / 1e9), ok.get(), failed.get(), List.copyOf(seconds));
    }

    private static void next(HttpClient client, Supplier<RequestSpec> request, Consumer<Buffer> accepted, long start,
            long end, AtomicLong ok, AtomicLongArray okEachSecond, AtomicLong failed, AtomicInteger running,
            CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            if (running.decrementAndGet() == 0) {
                done.complete(null);
            }
            return;
        }
        request.get().send(client).onComplete(outcome -> {
            if (outcome.succeeded() && outcome.result().succeeded()) {
                ok.incrementAndGet();
                int second = (int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                if (second < okEachSecond.length()) {
                    okEachSecond.incrementAndGet(second);
                }
                accepted.accept(outcome.result().body());
            } else {
                failed.incrementAndGet();
            }
            next(client, request, accepted, start, end, ok, okEachSecond, failed, running, done);
        });
    }
}
