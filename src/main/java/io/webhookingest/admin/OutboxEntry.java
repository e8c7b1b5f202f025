package io.webhookingest.admin;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An event waiting in the outbox queue for the relay, in commit order ({@code seq}); replaying an event queues it
 * again.
 */
@Entity
@Table(name = "event_outbox")
public class OutboxEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    @Column(name = "event_id")
    public UUID eventId;
    /** The record value's size in bytes, which bounds a relay round. */
    public int size;
    /** When an operator's replay queued it; null for an event's first publication. */
    @Column(name = "replayed_at")
    public Instant replayedAt;
}
