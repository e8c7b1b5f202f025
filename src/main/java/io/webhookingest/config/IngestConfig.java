package io.webhookingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** Header names that are never stored with an event (credentials a sender might add). */
    @WithDefault("authorization,proxy-authorization,cookie")
    List<String> redactedHeaders();

    /** How accepted events are written to Postgres. */
    Store store();

    /** How committed events are published to Kafka. */
    Relay relay();

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
    }

    /** The write path: concurrent deliveries share one multi-row insert and one commit. */
    interface Store {

        /** The most events one insert (and one commit) carries. */
        @WithDefault("256")
        int batchSize();

        /** How many inserts may be in flight at once; further deliveries queue and join the next batch. */
        @WithDefault("2")
        int concurrentBatches();
    }

    /** The outbox relay that publishes committed events and marks them published after the broker's ack. */
    interface Relay {

        /** The most events read, published and marked in one round. */
        @WithDefault("500")
        int batchSize();

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
         * Extra Kafka producer properties, e.g. {@code ingest.relay.producer."compression.type"=zstd}. Connection
         * settings come from the usual {@code kafka.*} keys. {@code acks=all} and idempotence cannot be overridden.
         */
        Map<String, String> producer();
    }
}
