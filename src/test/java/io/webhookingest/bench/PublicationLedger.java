package io.webhookingest.bench;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.vertx.core.buffer.Buffer;

/**
 * The loss check, per event id: every id an answer accepted must be seen on a topic as a record's {@code ce_id}. A
 * consumer reads the topics from the beginning while the load runs, and the two sides meet here; only the ids one
 * side has seen and the other not yet are held, so the memory stays flat however long the run.
 */
final class PublicationLedger implements AutoCloseable {

    private static final byte[] ID_FIELD = "\"id\":\"".getBytes(StandardCharsets.UTF_8);
    private static final int UUID_LENGTH = 36;

    private final Set<UUID> acceptedUnseen = new HashSet<>();
    private final Set<UUID> seenUnaccepted = new HashSet<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private long accepted;
    private long seen;
    private volatile boolean closing;
    private volatile RuntimeException readFailure;

    PublicationLedger(String bootstrap, List<String> topics) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // Large, infrequent fetches: the reader takes as little CPU from the run it checks as it can.
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(1 << 20));
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reader = new Thread(() -> read(topics), "publication-ledger");
        reader.setDaemon(true);
        reader.start();
    }

    /** Records the ids an accepted answer ({@code {"events":[{"id":"…"}]}}) names. */
    void accepted(Buffer answer) {
        byte[] body = answer.getBytes();
        List<UUID> ids = new ArrayList<>(1);
        for (int at = indexOf(body, 0); at >= 0; at = indexOf(body, at + UUID_LENGTH)) {
            ids.add(UUID.fromString(new String(body, at, UUID_LENGTH, StandardCharsets.US_ASCII)));
        }
        synchronized (this) {
            for (UUID id : ids) {
                accepted++;
                if (!seenUnaccepted.remove(id)) {
                    acceptedUnseen.add(id);
                }
            }
        }
    }

    /** Waits until every accepted id was seen on a topic, or the timeout passed; returns the ids still unseen. */
    List<UUID> awaitAllSeen(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!acceptedUnseen.isEmpty() && System.nanoTime() < deadline && readFailure == null) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            if (readFailure != null) {
                throw readFailure;
            }
            return List.copyOf(acceptedUnseen);
        }
    }

    synchronized long accepted() {
        return accepted;
    }

    /** Records read from the topics, duplicates included. */
    synchronized long seen() {
        return seen;
    }

    /** Records on the topics no accepted answer named (yet): duplicates, or events whose answer was not a 2xx. */
    synchronized long seenUnaccepted() {
        return seenUnaccepted.size();
    }

    private void read(List<String> topics) {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                // A topic exists once the relay first published to it.
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                        .until(() -> consumer.partitionsFor(topic, Duration.ofSeconds(30)), found -> !found.isEmpty())
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closing) {
                List<UUID> ids = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    Header id = record.headers().lastHeader("ce_id");
                    ids.add(UUID.fromString(new String(id.value(), StandardCharsets.US_ASCII)));
                }
                synchronized (this) {
                    for (UUID id : ids) {
                        seen++;
                        if (!acceptedUnseen.remove(id)) {
                            seenUnaccepted.add(id);
                        }
                    }
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                readFailure = new IllegalStateException("The ledger's consumer was woken up", e);
            }
        } catch (RuntimeException e) {
            readFailure = e;
            synchronized (this) {
                notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static int indexOf(byte[] body, int from) {
        outer:
        for (int i = from; i <= body.length - ID_FIELD.length - UUID_LENGTH; i++) {
            for (int j = 0; j < ID_FIELD.length; j++) {
                if (body[i + j] != ID_FIELD[j]) {
                    continue outer;
                }
            }
            return i + ID_FIELD.length;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }
}
