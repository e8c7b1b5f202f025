package io.webhookingest.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.webhookingest.extract.FieldSelector.BodyDigest;
import io.webhookingest.webhook.WebhookRequest;

/**
 * HCP Terraform / Terraform Enterprise notifications. Terraform sends no delivery id, so identities are built from
 * fields:
 * <ul>
 * <li>v1 run payloads: one event per {@code notifications[]} entry, identity {@code run_id|trigger|run_updated_at}
 * (one run transition; the run id alone would drop every transition after the first), type the trigger, subject the
 * run id. With several entries, each event's record value is the payload with {@code notifications} narrowed to that
 * entry.</li>
 * <li>the verification request ({@code trigger: verification}, null run fields) is recorded but not published.</li>
 * <li>v2 payloads ({@code payload_version} 2, number or string): type the trigger, subject the workspace; identity
 * {@code trigger|new_assessment_result.id} for assessments, {@code trigger|workspace|auto_destroy_at|run_external_id}
 * for auto-destroy notices, else {@code trigger|sha256 of the body} (change requests and newer triggers).</li>
 * </ul>
 * Unknown triggers are accepted.
 */
public final class TerraformEventExtractor implements EventExtractor {

    public static final String VERIFICATION = "verification";

    @Override
    public Extraction extract(WebhookRequest request) {
        Optional<JsonNode> parsed = JsonBody.parseObject(request.body());
        if (parsed.isEmpty()) {
            return new Extraction.Malformed("The body is not a JSON object");
        }
        JsonNode body = parsed.get();
        String version = JsonFields.text(body, "payload_version").orElse("");
        return switch (version) {
            case "1" -> version1(request, body);
            case "2" -> version2(request, body);
            default -> new Extraction.Malformed("payload_version must be 1 or 2");
        };
    }

    private static Extraction version1(WebhookRequest request, JsonNode body) {
        JsonNode notifications = body.get("notifications");
        if (notifications == null || !notifications.isArray() || notifications.isEmpty()) {
            return new Extraction.Malformed("A payload_version 1 notification needs a non-empty notifications array");
        }
        boolean single = notifications.size() == 1;
        List<ExtractedEvent> events = new ArrayList<>();
        for (JsonNode notification : notifications) {
            Optional<String> trigger = JsonFields.text(notification, "trigger");
            if (trigger.isEmpty()) {
                return new Extraction.Malformed("Every entry of notifications needs a trigger");
            }
            byte[] value = single ? null : narrowed(body, notification);
            if (trigger.get().equals(VERIFICATION)) {
                String subject = JsonFields.text(body, "notification_configuration_id").orElse(VERIFICATION);
                events.add(new ExtractedEvent(VERIFICATION + "|" + BodyDigest.of(request.body()), VERIFICATION,
                        subject, value, false));
                continue;
            }
            Optional<String> runId = JsonFields.text(body, "run_id");
            if (runId.isEmpty()) {
                return new Extraction.Malformed("A run notification needs run_id");
            }
            String updatedAt = JsonFields.text(notification, "run_updated_at").orElse("-");
            events.add(new ExtractedEvent(runId.get() + "|" + trigger.get() + "|" + updatedAt, trigger.get(),
                    runId.get(), value, true));
        }
        return new Extraction.Events(events);
    }

    private static Extraction version2(WebhookRequest request, JsonNode body) {
        Optional<String> trigger = JsonFields.text(body, "trigger");
        if (trigger.isEmpty()) {
            return new Extraction.Malformed("A payload_version 2 notification needs a trigger");
        }
        JsonNode details = body.path("details");
        String workspace = workspace(body, details);
        Optional<String> assessment = JsonFields.text(details.path("new_assessment_result"), "id");
        String identity;
        if (assessment.isPresent()) {
            identity = trigger.get() + "|" + assessment.get();
        } else if (details.has("auto_destroy_at") || details.has("run_external_id")) {
            identity = trigger.get() + "|" + workspace + "|" + JsonFields.text(details, "auto_destroy_at").orElse("-")
                    + "|" + JsonFields.text(details, "run_external_id").orElse("-");
        } else {
            identity = trigger.get() + "|" + BodyDigest.of(request.body());
        }
        return Extraction.of(new ExtractedEvent(identity, trigger.get(), workspace, null, true));
    }

    /** The workspace id, else organization/workspace name, else the notification configuration. */
    private static String workspace(JsonNode body, JsonNode details) {
        return JsonFields.text(details, "workspace_id")
                .or(() -> JsonFields.text(details, "workspace_name")
                        .map(name -> JsonFields.text(details, "organization_name").map(org -> org + "/").orElse("")
                                + name))
                .or(() -> JsonFields.text(body, "notification_configuration_id"))
                .orElse("terraform");
    }

    private static byte[] narrowed(JsonNode body, JsonNode notification) {
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.putArray("notifications").add(notification);
        return JsonBody.write(copy);
    }
}
