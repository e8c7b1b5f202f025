package io.webhookingest.relay;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.smallrye.common.annotation.Identifier;
import io.webhookingest.config.IngestConfig;

/**
 * The relay's Kafka producer. It is idempotent with {@code acks=all}, so the producer's own retries neither
 * duplicate nor reorder records, and each send reports the broker's acknowledgement for exactly that record.
 * <p>
 * The relay uses the producer directly rather than a Reactive Messaging emitter: the emitter's sink re-sends failed
 * records as new records, which can reorder a subject's events, and it shares its {@code retries} setting with the
 * producer, so that re-sending cannot be turned off while idempotence is on.
 */
@Singleton
public class KafkaPublisher {

    /** Settings the delivery guarantee depends on; configuration cannot override them. */
    static final Map<String, Object> REQUIRED = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

    /**
     * Defaults tuned for the relay: fail a send within 30 s so that a broker outage surfaces as backoff, and let
     * records as large as the default body limit through, so that the topic's {@code max.message.bytes} decides.
     * A relay round waits for every acknowledgement, so the linger also paces rounds: under load each round carries
     * more events in fewer, larger batches, which costs the producer, the broker and Postgres less per event (an
     * eighth less CPU per delivery across the three in the benchmark), for at most 25 ms more until publication.
     */
    static final Map<String, Object> DEFAULTS = Map.of(
            ProducerConfig.CLIENT_ID_CONFIG, "webhook-ingest-relay",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(11 * 1024 * 1024),
            ProducerConfig.LINGER_MS_CONFIG, "25",
            ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");

    /** How long closing the producer may take at shutdown, flushing what it still buffers. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> properties;
    /** Replaced after a failure or an abort closed it; only the sender thread sends, anyone may close. */
    private volatile Producer producer;
    /** send() blocks while the broker's metadata is unknown, so it never runs on an event loop; one thread keeps order. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "webhook-ingest-relay-sender"));

    KafkaPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, IngestConfig config) {
        Map<String, Object> merged = new HashMap<>(DEFAULTS);
        merged.putAll(kafka);
        merged.putAll(config.relay().producer());
        merged.putAll(REQUIRED);
        this.properties = Map.copyOf(merged);
        this.producer = new Producer(new KafkaProducer<>(properties));
    }

    /** A producer that knows it was closed, so that the next round gets a new one. */
    private static final class Producer {

        private final KafkaProducer<String, byte[]> kafka;
        private final AtomicBoolean closed = new AtomicBoolean();

        Producer(KafkaProducer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        /** Closes at once, failing every send still in flight; safe from the producer's own callbacks. */
        void closeNow() {
            if (closed.compareAndSet(false, true)) {
                kafka.close(Duration.ZERO);
            }
        }

        void close(Duration timeout) {
            closed.set(true);
            kafka.close(timeout);
        }
    }

    /**
     * Sends the records in order; each future completes with the broker's acknowledgement of its record or fails
     * with the send error. While the broker is unreachable, {@code send()} blocks up to {@code max.block.ms} for
     * metadata and then reports a retriable failure at once; the records after it then fail at once with the same
     * error rather than each blocking in turn, so a round during an outage ends after one timeout. A record refused
     * for good (an invalid topic) fails alone.
     * <p>
     * When a send fails in a way a later round can overcome, the producer is closed at once, from the failure's own
     * callback, before the batches behind it go out: the Kafka client would otherwise renumber those batches after the
     * failed one and they could succeed, putting a subject's later events on the topic ahead of the one that failed.
     * Closed that way, every later send of the round fails too, and the next round gets a new producer.
     */
    public List<CompletableFuture<RecordMetadata>> sendAll(List<ProducerRecord<String, byte[]>> records) {
        List<CompletableFuture<RecordMetadata>> acknowledgements = records.stream()
                .map(record -> new CompletableFuture<RecordMetadata>()).toList();
        try {
            sender.execute(() -> send(records, acknowledgements));
        } catch (RejectedExecutionException e) {
            acknowledgements.forEach(a -> a.completeExceptionally(e));
        }
        return acknowledgements;
    }

    private void send(List<ProducerRecord<String, byte[]>> records,
            List<CompletableFuture<RecordMetadata>> acknowledgements) {
        Producer current = openProducer();
        for (int i = 0; i < records.size(); i++) {
            CompletableFuture<RecordMetadata> acknowledged = acknowledgements.get(i);
            Throwable failure;
            try {
                current.kafka.send(records.get(i), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.complete(metadata);
                        return;
                    }
                    if (!refusedAlone(error)) {
                        current.closeNow();
                    }
                    acknowledged.completeExceptionally(error);
                });
                failure = acknowledged.isDone() ? acknowledged.handle((metadata, error) -> error).join() : null;
            } catch (RuntimeException e) {
                acknowledged.completeExceptionally(e);
                failure = e;
            }
            if (failure != null && !refusedAlone(failure)) {
                current.closeNow();
                Throwable cause = failure;
                acknowledgements.subList(i + 1, records.size()).forEach(a -> a.completeExceptionally(cause));
                return;
            }
        }
    }

    /**
     * Ends every send still in flight, failing it, so that a round that has run too long ends now; the next round
     * gets a new producer.
     */
    public void abort() {
        producer.closeNow();
    }

    /** The producer, or a new one when a failure or an abort closed the last. */
    private Producer openProducer() {
        Producer current = producer;
        if (current.closed.get()) {
            current = new Producer(new KafkaProducer<>(properties));
            producer = current;
        }
        return current;
    }

    /** A record the broker refuses for good, on its own (too large, invalid topic): the records after it may go. */
    private static boolean refusedAlone(Throwable failure) {
        return failure instanceof ApiException && !(failure instanceof RetriableException);
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        producer.close(CLOSE_TIMEOUT);
    }
}
