package io.webhookingest.extract;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.webhookingest.webhook.WebhookRequest;

/**
 * Eclipse xpanse deployer callbacks (terra-boot {@code TerraformResult}, tofu-maker {@code OpenTofuResult}):
 * identity {@code requestId}; type {@code xpanse.order.succeeded} or {@code xpanse.order.failed} from
 * {@code commandSuccessful} ({@code xpanse.order.result} when it is absent); subject the order id, which only the URL
 * carries: the path segment after {@code /order/} in the tail, else the tail's last segment, else the request id.
 */
public final class XpanseEventExtractor implements EventExtractor {

    public static final String SUCCEEDED = "xpanse.order.succeeded";
    public static final String FAILED = "xpanse.order.failed";
    public static final String RESULT = "xpanse.order.result";

    @Override
    public Extraction extract(WebhookRequest request) {
        Optional<JsonNode> body = JsonBody.parseObject(request.body());
        if (body.isEmpty()) {
            return new Extraction.Malformed("The body is not a JSON object");
        }
        Optional<String> requestId = JsonFields.text(body.get(), "requestId");
        if (requestId.isEmpty()) {
            return new Extraction.Malformed("No event identity at /requestId");
        }
        JsonNode successful = body.get().get("commandSuccessful");
        String type = successful == null || !successful.isBoolean() ? RESULT
                : successful.booleanValue() ? SUCCEEDED : FAILED;
        Optional<String> orderId;
        try {
            orderId = orderId(request.pathTail());
        } catch (IllegalArgumentException e) {
            return new Extraction.Malformed("The order id in the URL is not validly percent-encoded");
        }
        return Extraction.of(ExtractedEvent.of(requestId.get(), type, orderId.orElse(requestId.get())));
    }

    /** Throws {@link IllegalArgumentException} when the segment's percent-encoding is malformed. */
    static Optional<String> orderId(String pathTail) {
        List<String> segments = Arrays.stream(pathTail.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        int order = segments.lastIndexOf("order");
        String segment = order >= 0 && order + 1 < segments.size() ? segments.get(order + 1)
                : segments.get(segments.size() - 1);
        return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
}
