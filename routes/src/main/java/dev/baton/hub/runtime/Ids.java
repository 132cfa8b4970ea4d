package dev.baton.hub.runtime;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Instance ids: UUIDs laid out as RFC 9562 version 7 (48 bits of Unix milliseconds, then random
 * bits), so that ids created close together sort close together. The database's B-trees then
 * touch a few recent pages per batch of hand-offs instead of random ones all over the index.
 */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String timeOrdered() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextLong();
        long randB = RANDOM.nextLong();
        long most = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long least = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
