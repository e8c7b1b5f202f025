package io.webhookingest.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.webhook.WebhookRequest;

/**
 * A source's own selectors for identity, type and subject ({@code ingest.sources.<name>.id|type|subject}), replacing
 * what the provider finds. They are evaluated on each event's JSON: the body, or for a delivery that rolls up several
 * events, that event's own record value. A configured identity that is not found makes the delivery malformed; a
 * configured type or subject that is not found leaves the provider's.
 */
public record EventOverrides(Optional<FieldSelector> identity, Optional<FieldSelector> type,
        Optional<FieldSelector> subject) {

    public static final EventOverrides NONE = new EventOverrides(Optional.empty(), Optional.empty(), Optional.empty());

    /** The headers the identity is read from: the configured selector's, else the provider's. */
    public List<String> identityHeaders(EventExtractor provider) {
        if (identity.isEmpty()) {
            return provider.identityHeaders();
        }
        return identity.get() instanceof FieldSelector.Header header ? List.of(header.name()) : List.of();
    }

    public boolean isEmpty() {
        return identity.isEmpty() && type.isEmpty() && subject.isEmpty();
    }

    public Extraction apply(WebhookRequest request, Extraction extraction) {
        if (isEmpty() || !(extraction instanceof Extraction.Events found)) {
            return extraction;
        }
        JsonNode body = JsonBody.parseObject(request.body()).orElse(null);
        List<ExtractedEvent> events = new ArrayList<>();
        for (ExtractedEvent event : found.events()) {
            JsonNode json = event.value() == null ? body : JsonBody.parseObject(event.value()).orElse(null);
            String eventIdentity = event.identity();
            if (identity.isPresent()) {
                Optional<String> selected = identity.get().select(request, json);
                if (selected.isEmpty()) {
                    return new Extraction.Malformed("No event identity at " + identity.get());
                }
                eventIdentity = selected.get();
            }
            String eventType = type.flatMap(selector -> selector.select(request, json)).orElse(event.type());
            // A subject the provider derived from the identity follows a configured identity.
            String defaultSubject = event.subject().equals(event.identity()) ? eventIdentity : event.subject();
            String eventSubject = subject.flatMap(selector -> selector.select(request, json)).orElse(defaultSubject);
            events.add(new ExtractedEvent(eventIdentity, eventType, eventSubject, event.value(), event.publish()));
        }
        return new Extraction.Events(events);
    }
}
