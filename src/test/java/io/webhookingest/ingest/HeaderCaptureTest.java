package io.webhookingest.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;
import io.webhookingest.config.IngestConfig;

class HeaderCaptureTest {

    private final HeaderCapture capture = new HeaderCapture(configRedacting(List.of("X-Extra")));

    @Test
    void theSameNameIsDecidedTheSameWayOnEveryDelivery() {
        for (int delivery = 0; delivery < 3; delivery++) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Gitlab-Token", "secret")
                    .add("X-Extra", "secret").add("Content-Type", "application/json");
            assertEquals("{\"content-type\":[\"application/json\"]}", capture.toJson(headers));
        }
    }

    @Test
    void credentialNamesAreRedactedAfterTheRememberedNamesAreSpent() {
        for (int name = 0; name < HeaderCapture.REMEMBERED_NAMES + 10; name++) {
            capture.toJson(MultiMap.caseInsensitiveMultiMap().add("X-Sender-Chosen-" + name, "v"));
        }
        MultiMap late = MultiMap.caseInsensitiveMultiMap().add("X-Late-Api-Key", "secret")
                .add("Authorization", "Bearer secret").add("X-Late-Header", "kept");
        assertEquals("{\"x-late-header\":[\"kept\"]}", capture.toJson(late));
        assertEquals(HeaderCapture.REMEMBERED_NAMES, capture.rememberedNames(), "the names a sender picks are bounded");
    }

    @Test
    void repeatedHeadersKeepTheirValuesInOrderUnderOneName() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Via", "a").add("X-Other", "b").add("via", "c");
        assertEquals("{\"via\":[\"a\",\"c\"],\"x-other\":[\"b\"]}", capture.toJson(headers));
    }

    private static IngestConfig configRedacting(List<String> headers) {
        return (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(),
                new Class<?>[] {IngestConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("redactedHeaders")) {
                        return Optional.of(headers);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
