package io.webhookingest.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.webhookingest.dev.EmbeddedKafka;

/**
 * Points the application under test at a real Kafka broker (KRaft) running inside the test JVM. One broker serves
 * the whole run: it starts with the first test that needs it and stops when the JVM exits, so test classes that
 * restart the application do not pay for a new broker each time.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafka broker;

    /** The shared broker, started on first use. */
    public static synchronized EmbeddedKafka broker() {
        if (broker == null) {
            try {
                broker = EmbeddedKafka.start();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the test broker", e);
            }
            EmbeddedKafka started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    // The JVM is exiting; only the broker's temporary directory is at stake.
                }
            }));
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives each application start; see the class comment.
    }
}
