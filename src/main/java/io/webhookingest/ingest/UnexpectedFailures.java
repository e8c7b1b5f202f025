package io.webhookingest.ingest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Reports a verifier or extractor that threw on a delivery: a parser meeting input it was not written for. The
 * first occurrence per source, stage and exception type is logged as a warning with its stack, to be fixed; the
 * rest at debug level, so that a sender repeating the input cannot flood the log.
 */
@Singleton
public class UnexpectedFailures {

    private static final Logger LOG = Logger.getLogger(UnexpectedFailures.class);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    void report(String source, String stage, RuntimeException failure) {
        String kind = source + "/" + stage + "/" + failure.getClass().getName();
        if (seen.add(kind)) {
            LOG.warnf(failure, "The %s of source %s threw on a delivery, which was refused; further such failures"
                    + " are logged at debug level", stage, source);
        } else {
            LOG.debugf("The %s of source %s threw on a delivery: %s", stage, source, failure.toString());
        }
    }
}
