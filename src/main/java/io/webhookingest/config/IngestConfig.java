package io.webhookingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.webhookingest.verify.SignatureEncoding;

/**
 * Everything webhook-ingest reads from configuration, under the {@code ingest} prefix. Each setting can also be given
 * as an environment variable: upper-case the key and replace dots and dashes with underscores, so
 * {@code ingest.sources.hubject.secrets} becomes {@code INGEST_SOURCES_HUBJECT_SECRETS}.
 */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    /**
     * The webhook sources, by name. The name is the path segment of {@code POST /webhooks/{name}}; keep it to
     * lower-case letters and digits so that it can also be configured through environment variables.
     */
    Map<String, SourceConfig> sources();

    /**
     * The largest request body accepted, unless a source sets its own; larger deliveries get 413. The HTTP layer's
     * own limit is raised to the largest of these automatically.
     */
    @WithDefault("10M")
    MemorySize maxBodySize();

    /**
     * The most heap request bodies may take at once, across all deliveries in flight, each body counted at four times
     * its size (the bytes, the parsed tree, the driver's copy). A delivery that would exceed it is answered 503 with
     * {@code Retry-After} before its body is read (when its length is declared) or as soon as it would. Default: a
     * quarter of the maximum heap, and at least what the largest body a source accepts costs.
     */
    Optional<MemorySize> maxInflightBytes();

    /**
     * How long a sender has, from the moment its request headers arrived, to deliver the whole body. A sender that
     * declared a length must also keep pace: at any moment, the share of it that the elapsed share of this timeout
     * calls for, less 256 KiB. A slower one is answered 408 and its connection closed, so that stalled uploads hold
     * neither memory nor connections.
     */
    @WithDefault("30s")
    Duration readTimeout();

    /**
     * How long events are kept after they arrived: a partition is dropped once all its events are older, after its
     * pending, failed and quarantined events moved aside (quarantined ones stay until an operator releases or deletes
     * them). An identity, and a signed nonce, is deduplicated for at least this long; below 4 days, a Hubject retry
     * can outlive it and be stored again, which the service warns about at startup.
     */
    @WithDefault("30d")
    Duration retention();

    /**
     * The span of event ids one partition of the event table holds: whole minutes that divide a day or a multiple of
     * one. Expired events leave a span at a time; a shorter span keeps partitions smaller at high rates (a day at
     * 10,000 events/s is 864 M events) at the cost of more partitions for queries that span them all.
     */
    @WithDefault("1d")
    Duration partitionSpan();

    /** How often the publishing instance creates partitions ahead and drops those past the retention. */
    @WithDefault("10m")
    Duration retentionInterval();

    /**
     * Header names never stored with an event, in addition to the credential headers that never are (authorization,
     * proxy-authorization, cookie, x-api-key, x-auth-token, api-key, x-amz-security-token and the like).
     */
    Optional<List<String>> redactedHeaders();

    /** How accepted events are written to Postgres. */
    Store store();

    /** The log of refused deliveries, which tells an operator why a sender's deliveries fail. */
    Rejections rejections();

    /** The per-minute rollup of deliveries that charts read. */
    Rollup rollup();

    interface Rollup {

        /** How often each instance adds its counts to the rollup in Postgres. */
        @WithDefault("5s")
        Duration flushInterval();

        /** How long per-minute counts are kept. */
        @WithDefault("2d")
        Duration retention();
    }

    interface Rejections {

        /** How often each instance writes the refusals it logged. */
        @WithDefault("1s")
        Duration flushInterval();

        /** How long a refused delivery stays in the log. */
        @WithDefault("7d")
        Duration retention();

        /**
         * The most refused deliveries logged per source (unknown names count as one) and second on each instance;
         * beyond it, under a flood, they are only counted, so that a flood costs neither CPU nor rows.
         */
        @WithDefault("20")
        int perSourcePerSecond();
    }

    /** The operators' API under {@code /admin}. */
    Admin admin();

    /** How secrets of the sources managed through the admin API are kept. */
    Secrets secrets();

    /**
     * How often every instance reloads the sources managed through the admin API, whether or not it was told of a
     * change; a change is normally applied within a second through a notification.
     */
    @WithDefault("30s")
    Duration sourceReloadInterval();

    /** How committed events are published to Kafka. */
    Relay relay();

    /** What a starting instance does before it reports ready. */
    WarmUp warmUp();

    interface WarmUp {

        /**
         * How long a starting instance sends signed deliveries to itself before it reports ready, so that the JIT has
         * compiled the delivery path before the first real one arrives. They go through every stage (HTTP, signature,
         * extraction, the group commit's insert) into a transaction that is rolled back: nothing of those it accepts
         * is kept, published, counted or logged; the first it refuses ends the warm-up, with a warning. {@code 0s}
         * turns it off (the dev and test profiles do).
         */
        @WithDefault("20s")
        Duration duration();

        /** The rehearsed deliveries kept in flight at once. */
        @WithDefault("32")
        int concurrency();
    }

    /** One webhook source: who sends it, how it is signed, and where its events go. */
    interface SourceConfig {

        /** The provider whose signature scheme and payload shape this source speaks, e.g. {@code hubject}. */
        String provider();

        /**
         * The shared secrets, comma-separated. A signature made with any of them is accepted, so a secret is rotated
         * by adding the new one, waiting until the sender uses it, then removing the old one. A source without a
         * secret rejects every delivery.
         */
        Optional<List<String>> secrets();

        /** The Kafka topic this source's events are published to; default {@code webhooks.<name>}. */
        Optional<String> topic();

        /**
         * Topics by event type, in order, each {@code <type or glob>=<topic>} or {@code <type or glob>=record-only}
         * ({@code *} any characters, {@code ?} one): the first rule that matches an event's type decides, otherwise
         * {@link #topic()}. A {@code record-only} event is stored and deduplicated but never published.
         */
        Optional<List<String>> routes();

        /**
         * How its events are written to Kafka: {@code binary} (the CloudEvent attributes as {@code ce_*} headers, the
         * provider's JSON as the value) or {@code structured} (one {@code application/cloudevents+json} value).
         */
        @WithDefault("binary")
        ContentMode contentMode();

        /** The largest body this source accepts, overriding {@code ingest.max-body-size}. */
        Optional<MemorySize> maxBodySize();

        /**
         * Where the event identity is found, replacing the provider's: {@code header:<Name>} or a JSON Pointer such
         * as {@code /event/id}. Deliveries without it are refused as malformed.
         */
        Optional<String> id();

        /** Where the event type is found, replacing the provider's: {@code header:<Name>} or a JSON Pointer. */
        Optional<String> type();

        /** Where the subject (the Kafka key) is found, replacing the provider's: {@code header:<Name>} or a JSON Pointer. */
        Optional<String> subject();

        /**
         * How far a signed timestamp may be from now, in the past or the future, for every scheme that signs one.
         * {@code 0} turns the check off.
         */
        @WithDefault("5m")
        Duration timestampTolerance();

        /**
         * The external URL of {@code /webhooks/<name>} as the sender calls it (e.g. {@code https://hooks.example.com/xpanse}),
         * for schemes that sign the URL. The path tail and query are appended. Without it the request's own URL is
         * used, which honours {@code X-Forwarded-*} / {@code Forwarded} headers when
         * {@code quarkus.http.proxy.proxy-address-forwarding} is enabled.
         */
        Optional<String> publicUrl();

        /** The signature scheme of a source whose provider is {@code hmac}. */
        Signature signature();

        /** The timestamp of a source whose provider is {@code hmac}. */
        Timestamp timestamp();
    }

    /** A signature scheme described by configuration alone (provider {@code hmac}). */
    interface Signature {

        /** The header carrying the signature. Required for provider {@code hmac}. */
        Optional<String> header();

        /** {@code hmac}: the Java {@code Mac} algorithm, e.g. {@code HmacSHA256}; it must be among {@link #algorithms()}. */
        @WithDefault("HmacSHA256")
        String algorithm();

        /**
         * The MAC algorithms the source accepts: for xpanse, which names one in each request, the ones a request may
         * name; for {@code hmac}, the ones {@code algorithm} may be. Adding {@code HmacSHA1} or {@code HmacMD5} (for a
         * sender that cannot do better) weakens the source: a sender's or attacker's choice of algorithm is then
         * accepted down to that hash.
         */
        @WithDefault("HmacSHA256,HmacSHA384,HmacSHA512")
        List<String> algorithms();

        /** How the MAC is written in the header: {@code hex} or {@code base64}. */
        @WithDefault("hex")
        SignatureEncoding encoding();

        /** Text before the encoded MAC in the header, e.g. {@code sha256=}. */
        Optional<String> prefix();

        /**
         * What is signed: literal text with {@code {body}}, {@code {url}} and {@code {header:<Name>}} placeholders,
         * e.g. {@code v0:{header:X-Timestamp}:{body}}. Default: the raw body.
         */
        Optional<String> content();
    }

    /** The send time of a source whose provider is {@code hmac}. */
    interface Timestamp {

        /** A header carrying the send time, checked against {@code timestamp-tolerance}. Sign it in the content. */
        Optional<String> header();

        /** The unit of that time since the epoch: {@code seconds} or {@code milliseconds}. */
        @WithDefault("seconds")
        TimeUnit unit();
    }

    /** The operators' API. */
    interface Admin {

        /**
         * The bearer token the admin API requires ({@code Authorization: Bearer <token>}), at least 32 characters.
         * Without one, the admin API is disabled and answers 404. Provide it from a secret, never in a file.
         */
        Optional<String> token();
    }

    /** The keys that seal the secrets of sources managed through the admin API (AES-256-GCM) in Postgres. */
    interface Secrets {

        /**
         * The current key: 32 random bytes in base64 ({@code openssl rand -base64 32}), from a Kubernetes Secret.
         * Without it, sources managed through the API cannot be given secrets. Secret fingerprints are HMACs under
         * it, so they reveal nothing about a secret to whoever lacks the key.
         */
        Optional<String> key();

        /**
         * Keys that were current before, comma-separated: secrets sealed under one of them are still read, and
         * sealed again under the current key. Remove a key once no row names its id.
         */
        Optional<List<String>> previousKeys();
    }

    /** The write path: concurrent deliveries share one multi-row insert and one commit. */
    interface Store {

        /** The most events one insert (and one commit) carries. */
        @WithDefault("256")
        int batchSize();

        /**
         * The most inserts in flight at once. A further one starts only while more events wait than those in flight
         * carry (the insert in flight is slower than the deliveries arriving); otherwise deliveries queue and join
         * the next batch.
         */
        @WithDefault("2")
        int concurrentBatches();

        /**
         * How long a delivery waits for its commit before it is answered 503 (and the sender retries). A delivery
         * still queued by then is dropped unwritten; one already being written completes, and the retry is then
         * answered as a duplicate.
         */
        @WithDefault("10s")
        Duration timeout();

        /** How many events may wait for an insert; beyond that, deliveries are answered 503 at once. */
        @WithDefault("20000")
        int maxQueued();
    }

    /** The outbox relay that publishes committed events and marks them published after the broker's ack. */
    interface Relay {

        /** The most events read, published and taken off the queue in one round. */
        @WithDefault("1000")
        int batchSize();

        /**
         * The most bytes of record values one round reads and sends, so that a backlog of large events never needs
         * more heap than this at once; a round always takes at least one event, whatever its size.
         */
        @WithDefault("4M")
        MemorySize maxBatchBytes();

        /**
         * How many bytes of the events it committed lately the publishing instance keeps in memory, so that a round
         * publishes them without reading them back from the event table; 0 keeps none. Events past it are read.
         */
        @WithDefault("8M")
        MemorySize cacheSize();

        /**
         * How often the relay looks for unpublished events when nothing woke it; events committed by this instance
         * wake it at once.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** The first pause after a failed round; it doubles on each further failure. */
        @WithDefault("100ms")
        Duration backoffMin();

        /** The longest pause between failed rounds. */
        @WithDefault("30s")
        Duration backoffMax();

        /**
         * How long the publishing instance's lease lasts without renewal. Only the lease holder publishes; if it
         * dies, another instance takes over within this time. It is renewed every third of it.
         */
        @WithDefault("15s")
        Duration leaseTtl();

        /**
         * After how many events taken off the outbox queue the relay vacuums it. Each relay round walks the queue's
         * index from its head, past the entries of published events until a vacuum removes them; autovacuum alone
         * lets a minute or more of them pile up at high rates. 0 leaves the queue to autovacuum.
         */
        @WithDefault("50000")
        int vacuumAfter();

        /** On shutdown, how long the relay keeps publishing what is still pending before it hands over. */
        @WithDefault("10s")
        Duration drainTimeout();

        /**
         * Extra Kafka producer properties, e.g. {@code ingest.relay.producer."compression.type"=zstd}. Connection
         * settings come from the usual {@code kafka.*} keys. {@code acks=all} and idempotence cannot be overridden.
         */
        Map<String, String> producer();
    }
}
