package io.webhookingest.admin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Formula;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A stored event as the admin API reads it. The hot path writes these rows with the reactive client directly. */
@Entity
@Table(name = "event")
public class EventEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    // Column types as the migrations declare them (text, json), so that schema validation agrees with Flyway.
    @Column(columnDefinition = "text")
    public String source;
    @Column(columnDefinition = "text")
    public String identity;
    @Column(columnDefinition = "text")
    public String type;
    @Column(columnDefinition = "text")
    public String subject;
    /** The status as reported: pending while the event waits in the outbox queue, else the stored status. */
    @Formula("case when exists (select 1 from event_outbox o where o.event_id = id) then 'pending' else status end")
    public String status;
    /** The status column itself (see {@link io.webhookingest.store.EventStatus}). */
    @Column(name = "status", columnDefinition = "text")
    public String storedStatus;
    @Column(columnDefinition = "text")
    public String topic;
    @Column(name = "received_at")
    public Instant receivedAt;
    public byte[] body;
    public byte[] value;
    /** Stored as {@code json}, verbatim (unlike jsonb), and read as its text. */
    @ColumnTransformer(read = "headers::text")
    @Column(insertable = false, updatable = false, columnDefinition = "json")
    public String headers;
    @Column(columnDefinition = "text")
    public String reason;
    @Column(columnDefinition = "text")
    public String url;
    /** The W3C trace context the delivery carried, which its Kafka record carries on. */
    @Column(name = "trace_parent", columnDefinition = "text")
    public String traceParent;
}
