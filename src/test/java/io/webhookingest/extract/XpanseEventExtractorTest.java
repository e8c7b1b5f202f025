package io.webhookingest.extract;

import static io.webhookingest.testing.Requests.requestTo;
import static io.webhookingest.testing.Signatures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.webhookingest.testing.Fixtures;

class XpanseEventExtractorTest {

    final XpanseEventExtractor extractor = new XpanseEventExtractor();

    ExtractedEvent extract(String tail, byte[] body) {
        return assertInstanceOf(Extraction.Events.class,
                extractor.extract(requestTo("https://h/webhooks/xpanse" + tail, tail, body))).events().get(0);
    }

    @Test
    void requestIdIsTheIdentityAndTheOrderInTheUrlTheSubject() {
        ExtractedEvent event = extract("/webhook/terra-boot/order/6f1e-77", Fixtures.bytes("xpanse",
                "terra-boot-result.json"));
        assertEquals("2c5e1a2b-7d9e-4f0a-b6c1-3e8d9f0a1b2c", event.identity());
        assertEquals(XpanseEventExtractor.SUCCEEDED, event.type());
        assertEquals("6f1e-77", event.subject());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"true, xpanse.order.succeeded", "false, xpanse.order.failed", "\"yes\", xpanse.order.result"})
    void typeFollowsCommandSuccessful(String successful, String type) {
        assertEquals(type, extract("", utf8("{\"requestId\":\"r-1\",\"commandSuccessful\":" + successful + "}"))
                .type());
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(nullValues = "NONE", value = {
            "/webhook/terra-boot/order/o-1, o-1",
            "/order/o%2F2, o/2",
            "/o-3, o-3",
            "/order/o-4/, o-4",
            "'', NONE"})
    void orderIdComesFromThePathTail(String tail, String expected) {
        assertEquals(Optional.ofNullable(expected), XpanseEventExtractor.orderId(tail));
    }

    @Test
    void subjectFallsBackToTheRequestIdWithoutATail() {
        assertEquals("r-9", extract("", utf8("{\"requestId\":\"r-9\"}")).subject());
    }

    @Test
    void missingRequestIdIsMalformed() {
        assertInstanceOf(Extraction.Malformed.class,
                extractor.extract(requestTo("https://h/webhooks/xpanse", "", utf8("{\"commandSuccessful\":true}"))));
    }
}
