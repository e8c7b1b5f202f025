package io.webhookingest.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.webhookingest.extract.FieldSelector.BodyDigest;
import io.webhookingest.observe.RefusedDelivery;
import io.webhookingest.observe.RejectionLog;
import io.webhookingest.source.Source;
import io.webhookingest.verify.Rejection;
import io.webhookingest.verify.Verdict;

/**
 * Hands refused deliveries to the {@link RejectionLog}, each with a plain-words hint of what its source expected.
 * Only once the log admits one (per source and second) is anything gathered: header names, address, body digest,
 * the last on a worker thread for a body too large to hash on the event loop. Called after the answer is written.
 */
@Singleton
public class Refusals {

    static final int MAX_HEADER_NAMES = 64;
    static final int MAX_NAME_LENGTH = 64;
    private static final Logger LOG = Logger.getLogger(Refusals.class);
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final RejectionLog log;
    private final Clock clock;
    private final Vertx vertx;

    Refusals(RejectionLog log, Clock clock, Vertx vertx) {
        this.log = log;
        this.clock = clock;
        this.vertx = vertx;
    }

    void unknownSource(HttpServerRequest request, String name, HttpAnswer answer) {
        if (log.admits(DeliveryMetrics.UNKNOWN_SOURCE)) {
            record(request, name, answer, Optional.of("No source is named " + Verdict.quote(name) + ": configure"
                    + " ingest.sources." + truncate(name) + ".* or create it with PUT /admin/sources/{name}; a"
                    + " disabled source answers 404 too"), OptionalLong.empty(), null);
        }
    }

    void tooLarge(HttpServerRequest request, Source source, HttpAnswer answer) {
        if (log.admits(source.name())) {
            record(request, source.name(), answer, Optional.of("This source accepts bodies of at most "
                    + source.maxBodySize() + " bytes (ingest.sources." + source.name() + ".max-body-size, else"
                    + " ingest.max-body-size)"), OptionalLong.empty(), null);
        }
    }

    void timedOut(HttpServerRequest request, Source source, HttpAnswer answer) {
        if (log.admits(source.name())) {
            record(request, source.name(), answer, Optional.of("The whole body must arrive within"
                    + " ingest.read-timeout, at the pace its Content-Length calls for"), OptionalLong.empty(), null);
        }
    }

    /**
     * A delivery whose body was read and then refused: 401 (not verified) or 400 (kept in quarantine). Completes once
     * the body is no longer needed, so that its bytes stay counted in the in-flight budget until then.
     */
    Future<Void> answered(HttpServerRequest request, Source source, IngestResult result, HttpAnswer answer,
            byte[] body) {
        if (answer.status() != 400 && answer.status() != 401 || !log.admits(source.name())) {
            return Future.succeededFuture();
        }
        Optional<String> hint = Optional.empty();
        if (result instanceof IngestResult.Rejected rejected) {
            hint = Optional.of(hint(source, rejected.verdict()));
        } else if (result instanceof IngestResult.Malformed malformed) {
            hint = Optional.of("The signature verified but the body is not what the " + source.provider()
                    .configName() + " provider sends; it is kept as quarantined event " + malformed.kept()
                    + ", to release once the source is fixed");
        }
        Optional<String> found = hint;
        Callable<Void> recording = () -> {
            record(request, source.name(), answer, found, OptionalLong.of(body.length), body);
            return null;
        };
        Future<Void> recorded;
        if (body.length > IngestService.OFFLOAD_THRESHOLD) {
            recorded = vertx.executeBlocking(recording, false);
        } else {
            try {
                recorded = Future.succeededFuture(recording.call());
            } catch (Exception e) {
                recorded = Future.failedFuture(e);
            }
        }
        return recorded.onFailure(failure -> LOG.warn("A refused delivery could not be logged", failure));
    }

    private static String hint(Source source, Verdict verdict) {
        Rejection rejection = verdict.rejection();
        int secrets = source.fingerprints().size();
        return switch (rejection) {
            case NO_SECRET -> "The source has no secret: add the one the provider signs with";
            case SIGNATURE_MISMATCH -> source.verifier().expects() + "; none of the " + secrets + " configured"
                    + (secrets == 1 ? " secret matched" : " secrets matched");
            case REPLAYED -> "Each signed nonce is accepted once within the timestamp window; this one was seen";
            default -> source.verifier().expects();
        };
    }

    private void record(HttpServerRequest request, String source, HttpAnswer answer, Optional<String> hint,
            OptionalLong bodySize, byte[] body) {
        Optional<Problem> problem = answer.problem();
        List<String> names = new ArrayList<>();
        for (String name : request.headers().names()) {
            if (names.size() == MAX_HEADER_NAMES) {
                break;
            }
            names.add(truncate(name));
        }
        SocketAddress remote = request.remoteAddress();
        log.record(new RefusedDelivery(0, clock.instant(), truncate(source), answer.status(),
                problem.map(Problem::reason).orElse("refused"), printable(problem.map(Problem::detail).orElse("")),
                hint.map(Refusals::printable),
                Optional.ofNullable(remote).map(SocketAddress::hostAddress), names, bodySize,
                Optional.ofNullable(body).map(bytes -> HexFormat.of().formatHex(BodyDigest.digest(bytes)))));
    }

    private static String truncate(String value) {
        return printable(value.length() <= MAX_NAME_LENGTH ? value : value.substring(0, MAX_NAME_LENGTH));
    }

    /** Control characters (a NUL, which Postgres text cannot hold, among them) as U+FFFD. */
    private static String printable(String value) {
        return CONTROL.matcher(value).replaceAll("\uFFFD");
    }
}
