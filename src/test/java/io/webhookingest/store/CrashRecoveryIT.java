package io.webhookingest.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.LoadDriver;
import io.webhookingest.testing.TestDatabase;

/** The process is killed outright under load; after a restart, nothing that was acknowledged is missing. */
class CrashRecoveryIT {

    @Test
    void everyAcknowledgedEventIsPublishedAfterAKillAndRestart() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            int port = AppProcess.freePort();
            Map<String, String> acknowledged;
            try (AppProcess app = AppProcess.start("crash-before", port, config)) {
                LoadDriver load = new LoadDriver(List.of(Instances.hubject(app)), Instances.SECRET, 4, 50);
                await().atMost(Duration.ofSeconds(20)).until(() -> load.acknowledgedCount() >= 300);
                app.kill();
                load.close();
                acknowledged = load.acknowledged();
                assertTrue(load.serverErrors().isEmpty(), load.serverErrors()::toString);
            }
            try (AppProcess restarted = AppProcess.start("crash-after", port, config)) {
                Instances.awaitAllPublished(acknowledged, Duration.ofSeconds(60));
                assertTrue(restarted.isAlive());
            }
        }
    }
}
