package io.webhookingest.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what is really on a topic of the test broker. */
public final class Topics {

    private Topics() {
    }

    /** Every record on the topic right now, partition by partition, each partition in offset order. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return readAll(KafkaBrokerResource.broker().bootstrapServers(), topic);
    }

    /** As {@link #readAll(String)}, from another broker. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The records whose {@code ce_id} header is {@code id}. */
    public static List<ConsumerRecord<String, byte[]>> withCloudEventId(String topic, String id) {
        return readAll(topic).stream().filter(r -> id.equals(header(r, "ce_id"))).toList();
    }

    /** Waits until a record matching the predicate is on the topic, and returns it. */
    public static ConsumerRecord<String, byte[]> awaitRecord(String topic,
            Predicate<ConsumerRecord<String, byte[]>> matching) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> readAll(topic).stream().filter(matching).findFirst().orElse(null), r -> r != null);
    }

    /** Waits until the record with this {@code ce_id} is on the topic, and returns it. */
    public static ConsumerRecord<String, byte[]> awaitCloudEvent(String topic, String id) {
        return awaitRecord(topic, r -> id.equals(header(r, "ce_id")));
    }

    /** A header's value as UTF-8, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
