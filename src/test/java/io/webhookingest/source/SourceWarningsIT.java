package io.webhookingest.source;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;

/** Configurations that work but weaken a source or deduplication start with a warning naming the key and the risk. */
class SourceWarningsIT {

    @Test
    void anHmacIdentityFromAnUnsignedHeaderAWeakAlgorithmAndAShortRetentionAreNamed() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = new HashMap<>(Instances.config(database.reactiveUrl()));
            config.put("ingest.sources.acme.provider", "hmac");
            config.put("ingest.sources.acme.secrets", "acme-secret");
            config.put("ingest.sources.acme.signature.header", "X-Acme-Signature");
            config.put("ingest.sources.acme.id", "header:X-Acme-Delivery");
            config.put("ingest.sources.legacy.provider", "xpanse");
            config.put("ingest.sources.legacy.secrets", "legacy-secret");
            config.put("ingest.sources.legacy.signature.algorithms", "HmacSHA256,hmacsha1");
            config.put("ingest.retention", "1d");
            try (AppProcess app = AppProcess.start("source-warnings", AppProcess.freePort(), config)) {
                String log = Files.readString(Path.of("target", "it-logs", "source-warnings.log"));
                assertTrue(log.contains("ingest.sources.acme.id reads the identity from header X-Acme-Delivery,"
                        + " which the hmac signature does not cover"), log);
                assertTrue(log.contains("ingest.sources.legacy.signature.algorithms accepts hmacsha1, which weakens"),
                        log);
                assertTrue(log.contains("ingest.retention is PT24H: an identity is forgotten after that, so a"
                        + " provider's retry that comes later (Hubject retries for up to 4 days) is stored and published"
                        + " again"), log);
                assertTrue(app.isAlive());
            }
        }
    }
}
