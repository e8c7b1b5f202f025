package io.webhookingest.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;

/**
 * Sends requests at a constant arrival rate, whether or not earlier ones were answered (open loop), and measures each
 * latency from the time the request was due, not from when it was sent, so that a stalled server shows as latency
 * instead of silently slowing the load down (no coordinated omission).
 */
final class OpenLoopLoad {

    /**
     * What one phase measured. {@code elapsed} runs from the first request due to the last answer, so a server that
     * falls behind shows a lower achieved rate than the target. {@code byWindow} holds the latencies of the requests
     * due in each {@link #WINDOW}, which tell a steady tail from a stall, and a short stall from a tail it spreads
     * over many seconds; {@code started} places those windows in other logs (Postgres's checkpoints, the
     * application's).
     */
    record Result(String name, double targetRate, Instant started, Duration elapsed, long sent, long ok, long non2xx,
            long errors, Histogram latency, List<Histogram> byWindow) {

        double achievedRate() {
            return ok / (elapsed.toNanos() / 1e9);
        }
    }

    /** The span of each of a phase's latency summaries. */
    static final Duration WINDOW = Duration.ofSeconds(5);
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);
    /**
     * A window's histogram is coarser than the phase's (microseconds, two significant digits): a soak of hours keeps
     * thousands of them.
     */
    private static final long WINDOW_LOWEST = TimeUnit.MICROSECONDS.toNanos(1);
    private static final int WINDOW_DIGITS = 2;

    private OpenLoopLoad() {
    }

    /**
     * Runs one phase. The arrivals are shared round-robin by one sender per core, each on its own event-loop context,
     * so that the generator is not limited to one thread.
     *
     * @param request  the next request to send; called from several threads
     * @param accepted given the body of every 2xx answer; called from several threads
     */
    static Result run(Vertx vertx, HttpClient client, String name, double rate, Duration duration,
            Supplier<RequestSpec> request, Consumer<Buffer> accepted) throws Exception {
        Histogram latency = new ConcurrentHistogram(HIGHEST, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong non2xx = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong answeredCount = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        long windows = Math.max(1, (duration.toNanos() + WINDOW.toNanos() - 1) / WINDOW.toNanos());
        List<Histogram> byWindow = IntStream.range(0, (int) windows)
                .<Histogram>mapToObj(window -> new ConcurrentHistogram(WINDOW_LOWEST, HIGHEST, WINDOW_DIGITS)).toList();
        long total = (long) (rate * duration.toNanos() / 1e9);
        double intervalNanos = 1e9 / rate;
        int senders = Runtime.getRuntime().availableProcessors();
        CompletableFuture<Void> allAnswered = new CompletableFuture<>();
        if (total == 0) {
            allAnswered.complete(null);
        }
        Instant started = Instant.now();
        long start = System.nanoTime();
        for (int sender = 0; sender < senders; sender++) {
            long first = sender;
            vertx.getOrCreateContext().runOnContext(ignored -> {
                long[] next = {first};
                vertx.setPeriodic(1, timer -> {
                    long now = System.nanoTime();
                    while (next[0] < total && start + (long) (next[0] * intervalNanos) <= now) {
                        long due = start + (long) (next[0] * intervalNanos);
                        RequestSpec spec = request.get();
                        next[0] += senders;
                        spec.send(client).onComplete(outcome -> {
                            long answered = System.nanoTime();
                            if (outcome.succeeded() && outcome.result().succeeded()) {
                                ok.incrementAndGet();
                                accepted.accept(outcome.result().body());
                                long took = Math.min(answered - due, HIGHEST);
                                latency.recordValue(took);
                                byWindow.get((int) Math.min((due - start) / WINDOW.toNanos(), byWindow.size() - 1))
                                        .recordValue(took);
                            } else if (outcome.succeeded()) {
                                non2xx.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                            lastAnswer.accumulateAndGet(answered, Math::max);
                            if (answeredCount.incrementAndGet() == total) {
                                allAnswered.complete(null);
                            }
                        });
                    }
                    if (next[0] >= total) {
                        vertx.cancelTimer(timer);
                    }
                });
            });
        }
        allAnswered.get(duration.toMillis() + 2 * RequestSpec.IDLE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        Duration elapsed = Duration.ofNanos(Math.max(duration.toNanos(), lastAnswer.get() - start));
        return new Result(name, rate, started, elapsed, total, ok.get(), non2xx.get(), errors.get(), latency,
                byWindow);
    }
}
