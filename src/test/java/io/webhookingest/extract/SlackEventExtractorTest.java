package io.webhookingest.extract;

import static io.webhookingest.testing.Requests.request;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.webhookingest.testing.Fixtures;

class SlackEventExtractorTest {

    final SlackEventExtractor extractor = new SlackEventExtractor();

    @Test
    void urlVerificationIsAnsweredWithItsChallenge() {
        Extraction extraction = extractor.extract(request(Fixtures.bytes("slack", "url-verification.json")));
        assertEquals("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                assertInstanceOf(Extraction.Challenge.class, extraction).challenge());
    }

    @Test
    void eventCallbackIsIdentifiedByEventIdAndKeyedByChannel() {
        ExtractedEvent event = assertInstanceOf(Extraction.Events.class,
                extractor.extract(request(Fixtures.bytes("slack", "message-event.json")))).events().get(0);
        assertEquals("Ev123ABC456", event.identity());
        assertEquals("message", event.type());
        assertEquals("C123ABC456", event.subject());
    }

    @Test
    void envelopeWithoutEventIdFallsBackToTheBodyDigestAndTeam() {
        ExtractedEvent event = assertInstanceOf(Extraction.Events.class, extractor.extract(request(utf8(
                "{\"token\":\"t\",\"type\":\"app_rate_limited\",\"team_id\":\"T1\",\"minute_rate_limited\":1}"))))
                .events().get(0);
        assertTrue(event.identity().startsWith("sha256:"));
        assertEquals("app_rate_limited", event.type());
        assertEquals("T1", event.subject());
    }

    @Test
    void urlVerificationWithoutChallengeIsMalformed() {
        assertInstanceOf(Extraction.Malformed.class,
                extractor.extract(request(utf8("{\"type\":\"url_verification\"}"))));
    }
}
