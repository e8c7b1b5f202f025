package io.webhookingest.admin;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An event waiting in the outbox queue for the relay; replaying an event queues it again. */
@Entity
@Table(name = "event_outbox")
public class OutboxEntry extends PanacheEntityBase {

    @Id
    public UUID id;
}
