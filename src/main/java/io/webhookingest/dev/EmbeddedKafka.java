package io.webhookingest.dev;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka broker in KRaft mode, running inside this JVM, for dev mode and tests. Its classes are
 * provided-scope dependencies: present in dev mode and tests, absent from the production artifact, so only code that
 * runs in those modes may touch this class.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int BROKER = 0;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Formats and starts a broker in a fresh temporary directory, and waits until it takes requests. The directory is
     * created here rather than by the test kit: the kit's own directory comes with a JVM shutdown hook that deletes it
     * while the broker may still be running, and a broker that loses its log directories halts the JVM. This one is
     * deleted by {@link #close()}, after the broker stopped.
     */
    public static EmbeddedKafka start() throws Exception {
        return start(Map.of());
    }

    /** As {@link #start()}, with these broker settings added or replacing the defaults (listeners, for one). */
    public static EmbeddedKafka start(Map<String, String> brokerConfig) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(Files.createTempDirectory("webhook-ingest-kafka-"))
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        Map<String, String> config = new HashMap<>(Map.of(
                "auto.create.topics.enable", "true",
                "num.partitions", "3",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        config.putAll(brokerConfig);
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        config.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Stops the broker process while keeping its data and port, to simulate an outage. */
    public void stopBroker() {
        cluster.brokers().get(BROKER).shutdown();
        cluster.brokers().get(BROKER).awaitShutdown();
    }

    /** Starts the broker again on the same port after {@link #stopBroker()}. */
    public void startBroker() {
        cluster.brokers().get(BROKER).startup();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
