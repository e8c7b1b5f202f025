package io.webhookingest.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.LoadDriver;
import io.webhookingest.testing.TestDatabase;

/**
 * The process is killed outright under load, at a moment when acknowledged events are still on the outbox queue;
 * after a restart, every acknowledged event is published, those among them.
 */
class CrashRecoveryIT {

    @Test
    void everyAcknowledgedEventIsPublishedAfterAKillAndRestart() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            int port = AppProcess.freePort();
            Map<String, String> acknowledged;
            Set<String> queuedAtTheKill;
            try (AppProcess app = AppProcess.start("crash-before", port, config)) {
                LoadDriver load = new LoadDriver(List.of(Instances.hubject(app)), Instances.SECRET, 8, 100);
                await().atMost(Duration.ofSeconds(20)).until(() -> load.acknowledgedCount() >= 300);
                // Freeze the process to look at the queue as it is, and kill it there once it holds something.
                queuedAtTheKill = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> queueWhileFrozen(app, database), queued -> !queued.isEmpty());
                app.kill();
                load.close();
                acknowledged = load.acknowledged();
                assertTrue(load.serverErrors().isEmpty(), load.serverErrors()::toString);
            }
            Set<String> acknowledgedButQueued = new HashSet<>(acknowledged.values());
            acknowledgedButQueued.retainAll(queuedAtTheKill);
            assertFalse(acknowledgedButQueued.isEmpty(),
                    "some acknowledged events were not yet published when the process died");
            try (AppProcess restarted = AppProcess.start("crash-after", port, config)) {
                Instances.awaitAllPublished(acknowledged, Duration.ofSeconds(60));
                assertTrue(restarted.isAlive());
            }
        }
    }

    /** Stops the process and reads the outbox queue; leaves it stopped if the queue holds events, else resumes it. */
    private static Set<String> queueWhileFrozen(AppProcess app, TestDatabase database)
            throws SQLException {
        app.freeze();
        Set<String> queued = new HashSet<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select event_id from event_outbox")) {
            while (rows.next()) {
                queued.add(rows.getString(1));
            }
        }
        if (queued.isEmpty()) {
            app.thaw();
        }
        return queued;
    }
}
