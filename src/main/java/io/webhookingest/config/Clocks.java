package io.webhookingest.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.webhookingest.store.EventIds;

/** The wall clock, as a bean so that time-dependent code can be tested with a fixed one. */
public class Clocks {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    EventIds eventIds(Clock clock) {
        return new EventIds(clock);
    }
}
