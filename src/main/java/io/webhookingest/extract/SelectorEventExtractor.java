package io.webhookingest.extract;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Extracts one event per delivery by trying selectors in order: the first that finds a value wins. Identity is
 * required; a missing type falls back to a fixed type when the provider documents none; a missing subject falls back
 * to the identity.
 */
public final class SelectorEventExtractor implements EventExtractor {

    private final List<FieldSelector> identity;
    private final List<FieldSelector> type;
    private final Optional<String> fallbackType;
    private final List<FieldSelector> subject;

    public SelectorEventExtractor(List<FieldSelector> identity, List<FieldSelector> type,
            Optional<String> fallbackType, List<FieldSelector> subject) {
        if (identity.isEmpty()) {
            throw new IllegalArgumentException("an identity selector is required");
        }
        this.identity = List.copyOf(identity);
        this.type = List.copyOf(type);
        this.fallbackType = fallbackType;
        this.subject = List.copyOf(subject);
    }

    @Override
    public List<String> identityHeaders() {
        return identity.stream().filter(FieldSelector.Header.class::isInstance)
                .map(selector -> ((FieldSelector.Header) selector).name()).toList();
    }

    @Override
    public Extraction extract(WebhookRequest request) {
        Optional<JsonNode> body = JsonBody.parseObject(request.body());
        if (body.isEmpty()) {
            return new Extraction.Malformed("The body is not a JSON object");
        }
        JsonNode json = body.get();
        Optional<String> id = first(identity, request, json);
        if (id.isEmpty()) {
            return new Extraction.Malformed("No event identity at " + describe(identity));
        }
        Optional<String> eventType = first(type, request, json).or(() -> fallbackType);
        if (eventType.isEmpty()) {
            return new Extraction.Malformed("No event type at " + describe(type));
        }
        String eventSubject = first(subject, request, json).orElse(id.get());
        return Extraction.of(ExtractedEvent.of(id.get(), eventType.get(), eventSubject));
    }

    private static Optional<String> first(List<FieldSelector> selectors, WebhookRequest request, JsonNode body) {
        for (FieldSelector selector : selectors) {
            Optional<String> value = selector.select(request, body);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static String describe(List<FieldSelector> selectors) {
        return selectors.isEmpty() ? "(no selector configured)"
                : String.join(" or ", selectors.stream().map(FieldSelector::toString).toList());
    }
}
