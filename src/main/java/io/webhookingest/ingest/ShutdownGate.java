package io.webhookingest.ingest;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Orders shutdown so that nothing acknowledged is left unpublished. First among shutdown observers, it stops
 * admitting deliveries (a new one finds its connection closed without an answer, so the sender retries, elsewhere;
 * it never gets a 5xx) and waits for the admitted ones to be answered. Only then does the relay drain what is
 * pending, so no delivery is acknowledged after the relay's last round.
 */
@ApplicationScoped
public class ShutdownGate {

    /** How long shutdown waits for admitted deliveries; they normally take milliseconds. */
    public static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);

    private final Object lock = new Object();
    private boolean open = true;
    private int inFlight;

    void install(@Observes Router router) {
        router.post("/webhooks/*").order(-200).handler(this::admit);
    }

    void close(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
        synchronized (lock) {
            open = false;
            while (inFlight > 0 && deadline - System.nanoTime() > 0) {
                lock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            if (inFlight > 0) {
                LOG.warnf("%d deliveries were still in flight at shutdown; their senders will retry", inFlight);
            }
        }
    }

    private void admit(RoutingContext context) {
        synchronized (lock) {
            if (!open) {
                context.request().connection().close();
                return;
            }
            inFlight++;
        }
        context.addEndHandler(ended -> {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        });
        context.next();
    }
}
