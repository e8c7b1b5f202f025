package io.webhookingest.extract;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.Fixtures;
import io.webhookingest.webhook.WebhookRequest;

class EventOverridesTest {

    static final byte[] ENTRUPY = Fixtures.bytes("entrupy", "session-completed.json");
    static final SelectorEventExtractor DIGEST_DEFAULTS = new SelectorEventExtractor(
            List.of(new FieldSelector.BodyDigest()), List.of(), Optional.of("entrupy.webhook"), List.of());

    static EventOverrides overrides(String id, String type, String subject) {
        return new EventOverrides(Optional.ofNullable(id).map(FieldSelector::parse),
                Optional.ofNullable(type).map(FieldSelector::parse), Optional.ofNullable(subject).map(FieldSelector::parse));
    }

    ExtractedEvent apply(EventOverrides overrides, WebhookRequest request) {
        return assertInstanceOf(Extraction.Events.class, overrides.apply(request, DIGEST_DEFAULTS.extract(request)))
                .events().get(0);
    }

    @Test
    void providerDefaultsApplyWithoutOverrides() {
        ExtractedEvent event = apply(EventOverrides.NONE, request(ENTRUPY));
        assertEquals(FieldSelector.BodyDigest.of(ENTRUPY), event.identity());
        assertEquals("entrupy.webhook", event.type());
        assertEquals(event.identity(), event.subject());
    }

    @Test
    void configuredPointersReplaceTheDefaultsAndTheSubjectFollowsTheIdentity() {
        ExtractedEvent event = apply(overrides("/event/id", "/event/name", null), request(ENTRUPY));
        assertEquals("evt-6f1c2b7a", event.identity());
        assertEquals("session.completed", event.type());
        assertEquals("evt-6f1c2b7a", event.subject());
    }

    @Test
    void headerSelectorsWork() {
        ExtractedEvent event = apply(overrides("header:X-Delivery", null, "/item/entrupy_id"),
                request(ENTRUPY, "X-Delivery", "d-42"));
        assertEquals("d-42", event.identity());
        assertEquals("ETXXX-1234", event.subject());
    }

    @Test
    void aMissingConfiguredIdentityIsMalformedButAMissingTypeKeepsTheDefault() {
        WebhookRequest request = request(ENTRUPY);
        assertInstanceOf(Extraction.Malformed.class,
                overrides("/nope", null, null).apply(request, DIGEST_DEFAULTS.extract(request)));
        assertEquals("entrupy.webhook", apply(overrides(null, "/nope", null), request).type());
    }

    @Test
    void failuresPassThroughUntouched() {
        Extraction malformed = new Extraction.Malformed("bad");
        assertSame(malformed, overrides("/id", null, null).apply(request(utf8("{}")), malformed));
    }
}
