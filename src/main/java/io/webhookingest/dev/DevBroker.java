package io.webhookingest.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;

/**
 * Starts the dev-mode broker and stops it when the JVM exits. A separate class so that the broker's classes are only
 * loaded when dev mode actually needs a broker. The broker's address is also written to
 * {@code target/dev-kafka-bootstrap-servers}, so that tools like kcat can find it.
 */
final class DevBroker {

    static final Path ADDRESS_FILE = Path.of("target", "dev-kafka-bootstrap-servers");

    private static final Logger LOG = Logger.getLogger(DevBroker.class);

    private DevBroker() {
    }

    static String start() {
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    kafka.close();
                } catch (Exception e) {
                    // The JVM is exiting; the broker's temporary directory is all there is to lose.
                }
            }, "webhook-ingest-dev-broker-shutdown"));
            writeAddressFile(kafka.bootstrapServers());
            return kafka.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the in-process Kafka broker for dev mode; configure "
                    + DevKafkaConfigSourceFactory.BOOTSTRAP_SERVERS + " to use another broker", e);
        }
    }

    private static void writeAddressFile(String bootstrapServers) {
        try {
            Files.createDirectories(ADDRESS_FILE.getParent());
            Files.writeString(ADDRESS_FILE, bootstrapServers + System.lineSeparator());
        } catch (IOException e) {
            LOG.debugf("Could not write %s: %s", ADDRESS_FILE, e.getMessage());
        }
    }
}
