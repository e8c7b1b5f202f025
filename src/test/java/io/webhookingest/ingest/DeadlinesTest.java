package io.webhookingest.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/** One watch per event loop holds every deadline of one delay: each runs on its context once due, unless cleared. */
class DeadlinesTest {

    static final Duration DELAY = Duration.ofMillis(300);
    static final Duration TICK = Duration.ofMillis(20);

    private final Vertx vertx = Vertx.vertx();
    private final Deadlines deadlines = new Deadlines(vertx, DELAY, TICK);
    private final Context context = vertx.getOrCreateContext();
    private final List<Object> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aDeadlineRunsOnTheContextThatSetItOnceItsDelayHasPassed() throws Exception {
        CompletableFuture<Long> setAt = new CompletableFuture<>();
        CompletableFuture<Context> ranOn = new CompletableFuture<>();
        CompletableFuture<Long> ranAt = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            setAt.complete(System.nanoTime());
            deadlines.set(() -> {
                ranAt.complete(System.nanoTime());
                ranOn.complete(Vertx.currentContext());
            });
        });

        assertSame(context, ranOn.get(5, TimeUnit.SECONDS));
        long waited = ranAt.get() - setAt.get();
        assertTrue(waited >= DELAY.toNanos(), "not before its delay: " + waited + " ns");
    }

    /** Requests run on duplicates of the event loop's context: their deadlines are in the event loop's watch. */
    @Test
    void aDeadlineSetOnARequestsContextIsWatchedAndRunsThere() throws Exception {
        Context request = ((ContextInternal) context).duplicate();
        CompletableFuture<Integer> waiting = new CompletableFuture<>();
        CompletableFuture<Context> ranOn = new CompletableFuture<>();
        request.runOnContext(ignored -> {
            deadlines.set(() -> ranOn.complete(Vertx.currentContext()));
            waiting.complete(deadlines.waiting());
        });

        assertEquals(1, waiting.get(5, TimeUnit.SECONDS), "held by the event loop's watch");
        assertSame(request, ranOn.get(5, TimeUnit.SECONDS));
    }

    /** A worker's thread has no watch: its deadline is a timer of its own, which runs and clears as well. */
    @Test
    void aDeadlineSetOffTheEventLoopIsATimerThatRunsAndClears() throws Exception {
        vertx.executeBlocking(() -> {
            deadlines.set(() -> ran.add("kept"));
            deadlines.set(() -> ran.add("cleared")).clear();
            return null;
        }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("kept"), firstRun());
    }

    @Test
    void aDeadlineWhoseActionFailsDoesNotStopTheNextOnes() {
        context.exceptionHandler(failure -> ran.add("reported"));
        context.runOnContext(ignored -> {
            deadlines.set(() -> {
                ran.add("failing");
                throw new IllegalStateException("the action fails");
            });
            deadlines.set(() -> ran.add("next"));
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("next"));
        assertEquals(List.of("failing", "reported", "next"), ran);
    }

    @Test
    void aClearedDeadlineNeverRunsAndLeavesTheWatchAtOnce() throws Exception {
        CompletableFuture<Integer> waiting = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            deadlines.set(() -> ran.add("first")).clear();
            deadlines.set(() -> ran.add("second"));
            deadlines.set(() -> ran.add("third")).clear();
            waiting.complete(deadlines.waiting());
        });

        assertEquals(1, waiting.get(5, TimeUnit.SECONDS), "only the deadline not cleared is held");
        assertEquals(List.of("second"), firstRun());
    }

    @Test
    void aDeadlineClearedFromAnotherThreadNeverRuns() throws Exception {
        CompletableFuture<Deadlines.Deadline> set = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            set.complete(deadlines.set(() -> ran.add("cleared")));
            deadlines.set(() -> ran.add("kept"));
        });
        set.get(5, TimeUnit.SECONDS).clear();

        assertEquals(List.of("kept"), firstRun());
    }

    @Test
    void deadlinesFallDueInTheOrderTheyWereSet() {
        context.runOnContext(ignored -> {
            for (int i = 0; i < 5; i++) {
                int n = i;
                deadlines.set(() -> ran.add(n));
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 5);
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
    }

    @Test
    void noDeadlineRunsOnceClosed() throws Exception {
        CompletableFuture<Void> set = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            deadlines.set(() -> ran.add("set before closing"));
            set.complete(null);
        });
        set.get(5, TimeUnit.SECONDS);
        deadlines.close();

        await().during(DELAY.multipliedBy(3)).atMost(DELAY.multipliedBy(4)).until(ran::isEmpty);
    }

    /** What had run when the first action ran. */
    private List<Object> firstRun() {
        await().atMost(Duration.ofSeconds(5)).until(() -> !ran.isEmpty());
        return List.copyOf(ran);
    }
}
