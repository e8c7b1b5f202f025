package io.webhookingest.source;

import java.util.List;
import java.util.Optional;

import io.webhookingest.verify.HmacScheme;
import io.webhookingest.verify.TimestampWindow;

/**
 * One source's configuration, validated and in plain values, as the provider catalog needs it to build the source's
 * verifier and extractor.
 *
 * @param name           the source name
 * @param secrets        the live secrets; never empty
 * @param window         the timestamp window for schemes that sign a time
 * @param publicUrl      the external URL of {@code /webhooks/<name>}, without a trailing slash
 * @param hmacScheme     the configured scheme, for provider {@code hmac}
 * @param algorithms     the MAC algorithms the source accepts, for schemes that choose one
 */
public record SourceSettings(String name, List<String> secrets, TimestampWindow window, Optional<String> publicUrl,
        Optional<HmacScheme> hmacScheme, List<String> algorithms) {

    public SourceSettings {
        secrets = List.copyOf(secrets);
        algorithms = List.copyOf(algorithms);
    }

    /** The type for events of providers that document none: {@code <source>.webhook}. */
    String fallbackType() {
        return name + ".webhook";
    }
}
