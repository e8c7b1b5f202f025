package io.webhookingest.ingest;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * A client that goes away mid-request must not cancel durable work half-way or leak pooled connections: a complete
 * delivery is stored even if nobody waits for the answer, an incomplete one is not, and the service keeps serving.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ClientDisconnectTest {

    static final int DELIVERIES = 100;

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URI root;

    @Test
    void completeDeliveriesAreStoredEvenWhenTheClientClosesBeforeTheAnswer() throws IOException {
        String batch = "disconnect-" + UUID.randomUUID() + "-";
        for (int i = 0; i < DELIVERIES; i++) {
            byte[] body = HubjectDeliveryTest.contractCreated(batch + i);
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(requestHead(body.length, "sha256=" + hmacHex("HmacSHA256", HubjectDeliveryTest.SECRET,
                        body)));
                out.write(body);
                out.flush();
            }
        }

        EventRows rows = new EventRows(pool);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rows.byIdentityPrefix("hubject", batch).size() == DELIVERIES);
        assertServiceStillAnswersAndNoSessionIsLeftInATransaction();
    }

    @Test
    void deliveryCutOffMidBodyStoresNothing() throws IOException {
        String eventId = "cut-" + UUID.randomUUID();
        List<Socket> sockets = new ArrayList<>();
        byte[] body = HubjectDeliveryTest.contractCreated(eventId);
        for (int i = 0; i < 20; i++) {
            Socket socket = new Socket(root.getHost(), root.getPort());
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(body.length, "sha256=" + hmacHex("HmacSHA256", HubjectDeliveryTest.SECRET, body)));
            out.write(body, 0, body.length / 2);
            out.flush();
            sockets.add(socket);
        }
        for (Socket socket : sockets) {
            socket.close();
        }

        assertServiceStillAnswersAndNoSessionIsLeftInATransaction();
        assertEquals(0, new EventRows(pool).bySourceAndIdentity("hubject", eventId).size());
    }

    private void assertServiceStillAnswersAndNoSessionIsLeftInATransaction() {
        String marker = UUID.randomUUID().toString();
        HubjectDeliveryTest.deliver(HubjectDeliveryTest.contractCreated(marker), HubjectDeliveryTest.SECRET)
                .statusCode(200).body("status", equalTo("accepted"));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool
                .query("select count(*) from pg_stat_activity where datname = current_database()"
                        + " and state like 'idle in transaction%'")
                .execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 0);
    }

    private byte[] requestHead(int contentLength, String signature) {
        return ("POST /webhooks/hubject HTTP/1.1\r\n"
                + "Host: " + root.getHost() + ":" + root.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "X-Hubject-Signature: " + signature + "\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
