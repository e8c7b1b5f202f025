package io.webhookingest.extract;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.testing.Fixtures;

class TerraformEventExtractorTest {

    final TerraformEventExtractor extractor = new TerraformEventExtractor();

    List<ExtractedEvent> events(String fixture) {
        Extraction extraction = extractor.extract(request(Fixtures.bytes("terraform", fixture)));
        return assertInstanceOf(Extraction.Events.class, extraction, extraction::toString).events();
    }

    @Test
    void runNotificationIsOneEventPerTransition() {
        ExtractedEvent completed = events("run-completed.json").get(0);
        assertEquals("run-CZcmD7eagjhyX0vN|run:completed|2023-04-20T15:52:47.584Z", completed.identity());
        assertEquals("run:completed", completed.type());
        assertEquals("run-CZcmD7eagjhyX0vN", completed.subject());
        assertTrue(completed.publish());
        assertNull(completed.value(), "a single notification is published as the raw body");

        ExtractedEvent errored = events("run-errored.json").get(0);
        assertEquals("run:errored", errored.type());
        assertEquals(completed.subject(), errored.subject(), "one run, one subject, so its events stay ordered");
        assertFalse(completed.identity().equals(errored.identity()), "each transition of a run is its own event");
    }

    @Test
    void rolledUpNotificationsBecomeOneEventEachWithANarrowedValue() {
        List<ExtractedEvent> events = events("two-notifications.json");
        assertEquals(2, events.size());
        assertEquals(List.of("run:needs_attention", "run:errored"), events.stream().map(ExtractedEvent::type).toList());
        assertEquals("run-XcKdf3TtJjUu7h2P|run:needs_attention|2023-04-21T09:01:10.000Z", events.get(0).identity());
        for (ExtractedEvent event : events) {
            JsonNode value = JsonBody.parseObject(event.value()).orElseThrow();
            assertEquals(1, value.get("notifications").size());
            assertEquals(event.type(), value.get("notifications").get(0).get("trigger").asText());
            assertEquals("run-XcKdf3TtJjUu7h2P", value.get("run_id").asText(), "run fields are kept");
        }
    }

    @Test
    void verificationIsRecordedButNotPublished() {
        ExtractedEvent verification = events("verification.json").get(0);
        assertFalse(verification.publish());
        assertEquals("verification", verification.type());
        assertEquals("nc-AeUQ2zfKZzW9TiGZ", verification.subject());
        assertTrue(verification.identity().startsWith("verification|sha256:"));
    }

    @Test
    void assessmentIsIdentifiedByItsResult() {
        ExtractedEvent drifted = events("assessment-drifted.json").get(0);
        assertEquals("assessment:drifted|asmtres-vRVQxpqq64EA9V5a", drifted.identity());
        assertEquals("assessment:drifted", drifted.type());
        assertEquals("ws-XdeUVMWShTesDMME", drifted.subject());
    }

    @Test
    void autoDestroyIsIdentifiedByWorkspaceAndSchedule() {
        ExtractedEvent reminder = events("auto-destroy-reminder.json").get(0);
        assertEquals("workspace:auto_destroy_reminder|acme-org/learn-terraform-aws-instance|2025-01-01T00:00:00.000Z|-",
                reminder.identity());
        assertEquals("acme-org/learn-terraform-aws-instance", reminder.subject(), "payload_version as a number");
    }

    @Test
    void changeRequestAndUnknownTriggersAreAcceptedWithAStableIdentity() {
        ExtractedEvent first = events("change-request.json").get(0);
        ExtractedEvent retried = events("change-request.json").get(0);
        assertEquals("change_request:created", first.type());
        assertTrue(first.identity().startsWith("change_request:created|sha256:"));
        assertEquals(first.identity(), retried.identity(), "a retry of the same bytes is the same event");
        assertEquals("ws-XdeUVMWShTesDMME", first.subject());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "[]",
            "{\"notifications\":[]}",
            "{\"payload_version\":3,\"trigger\":\"run:created\"}",
            "{\"payload_version\":1,\"notifications\":[]}",
            "{\"payload_version\":1,\"run_id\":\"run-1\",\"notifications\":[{\"message\":\"no trigger\"}]}",
            "{\"payload_version\":1,\"run_id\":null,\"notifications\":[{\"trigger\":\"run:created\"}]}",
            "{\"payload_version\":\"2\",\"details\":{}}"})
    void refusesPayloadsItCannotIdentify(String body) {
        assertInstanceOf(Extraction.Malformed.class, extractor.extract(request(utf8(body))));
    }
}
