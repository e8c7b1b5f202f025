package io.webhookingest.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.LoadDriver;
import io.webhookingest.testing.TestDatabase;

/**
 * SIGTERM under load: no delivery is answered with a 5xx, the process exits within 30 s, and everything it
 * acknowledged is published before it exits (no other instance is left to publish it).
 */
class GracefulShutdownIT {

    @Test
    void sigtermUnderLoadAnswersNo5xxExitsPromptlyAndLeavesNothingUnpublished() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             AppProcess app = AppProcess.start("graceful-shutdown", AppProcess.freePort(),
                     Instances.config(database.reactiveUrl()))) {
            LoadDriver load = new LoadDriver(List.of(Instances.hubject(app)), Instances.SECRET, 4, 50);
            await().atMost(Duration.ofSeconds(20)).until(() -> load.acknowledgedCount() >= 300);

            long started = System.nanoTime();
            int exit = app.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            load.close();

            assertEquals(143, exit, "terminated by SIGTERM after a complete shutdown");
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "exited in " + took);
            assertEquals(List.of(), load.serverErrors(), "no 5xx while shutting down");
            Map<String, String> acknowledged = load.acknowledged();
            try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                 ResultSet pending = statement.executeQuery("select count(*) from event_outbox")) {
                pending.next();
                assertEquals(0, pending.getLong(1), "the relay published everything before exiting");
            }
            Instances.assertPublishedOnceEach(acknowledged, Duration.ofSeconds(20));
        }
    }
}
