package io.webhookingest.extract;

import java.util.List;
import java.util.Objects;

/** What an {@link EventExtractor} found in a delivery. */
public sealed interface Extraction {

    /** The delivery carries these events, in the order they should be published. */
    record Events(List<ExtractedEvent> events) implements Extraction {

        public Events {
            if (events.isEmpty()) {
                throw new IllegalArgumentException("a delivery yields at least one event");
            }
            events = List.copyOf(events);
        }
    }

    /** The delivery is signed but unusable: not the expected format, or missing its identity. */
    record Malformed(String detail) implements Extraction {

        public Malformed {
            Objects.requireNonNull(detail);
        }
    }

    /**
     * The delivery is a provider's endpoint check that must be answered with this challenge (Slack's
     * {@code url_verification}); it carries no event.
     */
    record Challenge(String challenge) implements Extraction {

        public Challenge {
            Objects.requireNonNull(challenge);
        }
    }

    static Extraction of(ExtractedEvent event) {
        return new Events(List.of(event));
    }
}
