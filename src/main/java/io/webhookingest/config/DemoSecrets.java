package io.webhookingest.config;

import java.util.Set;

/**
 * The demo secrets of the dev profile ({@code %dev.} in {@code application.properties}), so that the README's
 * commands work on a laptop. They are public, so a packaged (production-mode) run refuses to start with any of them.
 */
public final class DemoSecrets {

    /** Every {@code %dev.} secret in {@code application.properties}; a test keeps the two in step. */
    public static final Set<String> VALUES = Set.of("dev-hubject-secret", "dev-admin-token-not-for-production-use",
            "ZGV2LW9ubHkta2V5LW9mLXdlYmhvb2staW5nZXN0ISE=");

    private DemoSecrets() {
    }

    public static boolean isDemo(String secret) {
        return VALUES.contains(secret.trim());
    }
}
