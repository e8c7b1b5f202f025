package io.webhookingest.source;

import java.util.List;

/**
 * One source's configuration, validated and in plain values, as the provider catalog needs it to build the source's
 * verifier and extractor.
 *
 * @param name    the source name
 * @param secrets the live secrets; never empty
 */
public record SourceSettings(String name, List<String> secrets) {

    public SourceSettings {
        secrets = List.copyOf(secrets);
    }
}
