package io.webhookingest.config;

/** The CloudEvents content modes of the Kafka protocol binding a source's records are written in. */
public enum ContentMode {
    /** Attributes as {@code ce_*} headers, the event data as the record value. */
    BINARY,
    /** The whole event, attributes and data, as one JSON record value. */
    STRUCTURED
}
