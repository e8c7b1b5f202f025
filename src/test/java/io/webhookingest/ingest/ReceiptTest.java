package io.webhookingest.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The hand-written receipt is the JSON Jackson writes for it. */
class ReceiptTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void oneEvent() throws Exception {
        assertSameAsJackson(new Receipt(Receipt.ACCEPTED, List.of(new Receipt.Item(UUID.randomUUID(),
                Receipt.ACCEPTED))));
    }

    @Test
    void severalEventsOfEachStatus() throws Exception {
        assertSameAsJackson(new Receipt(Receipt.ACCEPTED, List.of(new Receipt.Item(UUID.randomUUID(),
                Receipt.ACCEPTED), new Receipt.Item(UUID.randomUUID(), Receipt.DUPLICATE),
                new Receipt.Item(UUID.randomUUID(), Receipt.RECORDED))));
    }

    @Test
    void noEvents() throws Exception {
        assertSameAsJackson(new Receipt(Receipt.DUPLICATE, List.of()));
    }

    private void assertSameAsJackson(Receipt receipt) throws Exception {
        assertEquals(mapper.readTree(mapper.writeValueAsBytes(receipt)), mapper.readTree(receipt.toJson()));
    }
}
