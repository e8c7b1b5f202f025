package io.webhookingest.ingest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.source.Source;
import io.webhookingest.source.SourceRegistry;
import io.webhookingest.verify.HmacKeys;

/**
 * Warms a starting instance up behind its readiness: for {@code ingest.warm-up.duration} it sends itself signed
 * deliveries of several providers ({@link RehearsedDelivery}), closed loop, over the loopback to its own public port,
 * on sources only it knows ({@link SourceRegistry#openRehearsal}). Each goes the way a real delivery goes, through the
 * HTTP server, the signature check, the extraction and the group commit's insert, so that the JIT compiles that path
 * before the first real delivery, where otherwise the first ones run it interpreted. Their batches are rolled back
 * and never share one with a real delivery; nothing of them is published, counted or logged.
 * <p>
 * Readiness stays DOWN meanwhile ({@link WarmUpHealthCheck}). The rehearsal ends early, with a warning, on the first
 * delivery that is not accepted: an instance whose own deliveries fail is better ready and reporting the failures of
 * real ones than never ready.
 */
@Singleton
public class WarmUp {

    /** The end of a rehearsal that could not start (no HTTP server to send to), after its duration and this. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    private final SourceRegistry sources;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration duration;
    private final int concurrency;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean warming;
    private volatile boolean stopping;
    private volatile Rehearsal rehearsal;

    WarmUp(SourceRegistry sources, Vertx vertx, Clock clock, IngestConfig config) {
        this.sources = sources;
        this.vertx = vertx;
        this.clock = clock;
        this.duration = config.warmUp().duration();
        this.concurrency = config.warmUp().concurrency();
        if (duration.isNegative() || concurrency < 1) {
            throw new IllegalStateException("ingest.warm-up.duration cannot be negative, nor ingest.warm-up.concurrency"
                    + " below 1");
        }
        this.warming = !duration.isZero();
    }

    /** True until the rehearsal is over: the instance is not ready meanwhile. */
    public boolean warming() {
        return warming;
    }

    /** The rehearsed deliveries accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    void watch(@Observes StartupEvent event) {
        if (warming) {
            vertx.setTimer(duration.plus(GRACE).toMillis(), late -> {
                Rehearsal running = rehearsal;
                if (running != null) {
                    running.client.close();
                }
                finish("it did not end in time (it needs the plain HTTP port)");
            });
        }
    }

    /** Quarkus announces its HTTP server asynchronously, once it listens. */
    void rehearse(@ObservesAsync HttpServerStart server) {
        if (warming && started.compareAndSet(false, true)) {
            Context context = vertx.getOrCreateContext();
            context.runOnContext(ignored -> {
                try {
                    rehearsal = new Rehearsal(server.options());
                    rehearsal.start();
                } catch (RuntimeException e) {
                    finish("it could not start: " + e);
                }
            });
        }
    }

    /** Before the shutdown gate closes connections, so that the rehearsed deliveries it cuts off are no failure. */
    void stop(@Observes @Priority(0) ShutdownEvent event) {
        stopping = true;
    }

    private void finish(String stoppedBecause) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        sources.closeRehearsals();
        warming = false;
        if (stoppedBecause == null) {
            LOG.infof("Warmed up: %d rehearsed deliveries in %d s, none kept; ready for deliveries", accepted.get(),
                    duration.toSeconds());
        } else if (!stopping) {
            LOG.warnf("Warm-up stopped after %d rehearsed deliveries, because %s; ready for deliveries, which run"
                    + " slower for their first seconds", accepted.get(), stoppedBecause);
        }
    }

    /** One rehearsal: its sources, their MACs and its client, confined to one event loop. */
    private final class Rehearsal {

        /** One provider's rehearsed deliveries: the source they go to and the MAC that signs them. */
        private record Line(RehearsedDelivery delivery, Source source, Mac mac) {
        }

        private final HttpClient client;
        private final List<Line> lines = new ArrayList<>();
        private final String run;
        private final long endsAt;
        private long sent;
        private int inFlight;
        private String failure;

        Rehearsal(HttpServerOptions server) {
            SecureRandom random = new SecureRandom();
            for (RehearsedDelivery delivery : RehearsedDelivery.values()) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                lines.add(new Line(delivery, sources.openRehearsal(delivery.provider(), delivery.secret(key)),
                        HmacKeys.newMac("HmacSHA256", delivery.macKey(key))));
            }
            this.run = Long.toHexString(random.nextLong());
            String host = server.getHost() == null || server.getHost().equals("0.0.0.0")
                    || server.getHost().equals("::") ? "127.0.0.1" : server.getHost();
            this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host)
                    .setDefaultPort(server.getPort()).setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(concurrency));
            this.endsAt = System.nanoTime() + duration.toNanos();
        }

        void start() {
            inFlight = concurrency;
            for (int i = 0; i < concurrency; i++) {
                next();
            }
        }

        private void next() {
            if (failure != null || stopping || System.nanoTime() - endsAt >= 0) {
                if (--inFlight == 0) {
                    client.close();
                    finish(failure != null ? failure : stopping ? "the instance is stopping" : null);
                }
                return;
            }
            Line line = lines.get((int) (sent % lines.size()));
            String id = "rehearsal-" + run + "-" + sent++;
            byte[] body = line.delivery().body(id).getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = line.delivery().headers(line.mac(), id, clock.instant().getEpochSecond(),
                    body);
            client.request(HttpMethod.POST, "/webhooks/" + line.source().name())
                    .compose(request -> {
                        request.putHeader("content-type", "application/json");
                        headers.forEach(request::putHeader);
                        return request.send(Buffer.buffer(body));
                    })
                    .compose(response -> response.body().map(answer -> response.statusCode() / 100 == 2 ? null
                            : "a rehearsed delivery was answered " + response.statusCode() + ": " + answer))
                    .onComplete(outcome -> {
                        if (outcome.failed()) {
                            failure = "a rehearsed delivery failed: " + outcome.cause();
                        } else if (outcome.result() != null) {
                            failure = outcome.result();
                        } else {
                            accepted.incrementAndGet();
                        }
                        next();
                    });
        }
    }
}
