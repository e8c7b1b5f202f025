package io.webhookingest.extract;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Slack Events API. A {@code url_verification} request is answered with its challenge, as Slack requires when an
 * endpoint is registered, and stored nowhere. Event callbacks: identity {@code event_id} (envelopes without one, such
 * as {@code app_rate_limited}, fall back to the body's digest), type the inner event's type, subject its channel, else
 * the team.
 */
public final class SlackEventExtractor implements EventExtractor {

    static final String URL_VERIFICATION = "url_verification";

    private final SelectorEventExtractor events = new SelectorEventExtractor(
            List.of(FieldSelector.parse("/event_id"), new FieldSelector.BodyDigest()),
            List.of(FieldSelector.parse("/event/type"), FieldSelector.parse("/type")), Optional.empty(),
            List.of(FieldSelector.parse("/event/channel"), FieldSelector.parse("/event/channel/id"),
                    FieldSelector.parse("/event/item/channel"), FieldSelector.parse("/team_id")));

    @Override
    public Extraction extract(WebhookRequest request) {
        Optional<JsonNode> body = JsonBody.parseObject(request.body());
        if (body.isPresent() && JsonFields.text(body.get(), "type").filter(URL_VERIFICATION::equals).isPresent()) {
            return JsonFields.text(body.get(), "challenge")
                    .<Extraction>map(Extraction.Challenge::new)
                    .orElseGet(() -> new Extraction.Malformed("A url_verification request needs a challenge"));
        }
        return events.extract(request);
    }
}
