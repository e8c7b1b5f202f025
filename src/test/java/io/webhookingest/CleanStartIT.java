package io.webhookingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;

/** A packaged start with a sound configuration logs no warning and no error: each one would have to mean something. */
class CleanStartIT {

    @Test
    void aProductionStartLogsNoWarningOrError() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             AppProcess app = AppProcess.start("clean-start", AppProcess.freePort(),
                     Instances.config(database.reactiveUrl()))) {
            List<String> alarming = Files.readAllLines(Path.of("target", "it-logs", "clean-start.log")).stream()
                    .filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\""))
                    .toList();
            assertEquals(List.of(), alarming);
        }
    }
}
