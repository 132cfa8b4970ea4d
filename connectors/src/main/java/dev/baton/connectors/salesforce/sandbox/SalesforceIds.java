package dev.baton.connectors.salesforce.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/** Generates 18-character Salesforce ids: key prefix, pod/instance chars, a counter, and the case-safe suffix. */
final class SalesforceIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private final AtomicLong counter = new AtomicLong(1_000_000L);

    /** A fresh id with the given 3-character key prefix. */
    String next(String keyPrefix) {
        return of(keyPrefix, counter.incrementAndGet());
    }

    static String of(String keyPrefix, long number) {
        StringBuilder digits = new StringBuilder();
        long n = number;
        while (n > 0) {
            digits.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        }
        while (digits.length() < 10) {
            digits.insert(0, '0');
        }
        String id15 = keyPrefix + "Dn" + digits;
        return id15 + suffix(id15);
    }

    /** The 3-character checksum that makes a 15-character id case-insensitively unique. */
    static String suffix(String id15) {
        StringBuilder s = new StringBuilder(3);
        for (int block = 0; block < 3; block++) {
            int flags = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(block * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    flags |= 1 << i;
                }
            }
            s.append(SUFFIX_CHARS.charAt(flags));
        }
        return s.toString();
    }

    /** The 18-character form of a 15- or 18-character id, or the input unchanged when it is neither. */
    static String to18(String id) {
        if (id != null && id.length() == 15) {
            return id + suffix(id);
        }
        return id;
    }
}
