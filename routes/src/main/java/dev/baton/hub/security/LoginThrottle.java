package dev.baton.hub.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Failed logins counted per claimed user name and per client address; after too many within a window,
 * that name or address is locked out, for a time that doubles with each lockout in a row (up to a
 * maximum). During a lockout every login of that name, and every login from that address, is refused,
 * the right password included. After a lockout ends one more failure locks again; a name or address
 * without failures for the window (or the longest lockout, whichever is longer) is forgotten, and a
 * user's successful login forgets that user's failures.
 *
 * <p>Memory is bounded: each table holds at most {@code maxTracked} entries. When full, the least recently
 * seen entry that is not locked goes, else the lock ending soonest, so
 * rotating names or addresses cannot grow the tables and evicts locks only once the table holds nothing else.
 * IPv6 addresses count by their /64, which one host usually holds whole. Thread-safe.
 */
@Component
public class LoginThrottle {

    /** A lockout that has just begun (the failure that set it off), or one in force. */
    public record Lockout(String key, int failures, Duration duration, Instant until, boolean byUser) {
    }

    private final AccessProperties.LoginThrottle settings;
    private final Clock clock;
    private final Table users;
    private final Table addresses;

    public LoginThrottle(AccessProperties access, Clock clock) {
        this.settings = access.security().loginThrottle();
        this.clock = clock;
        this.users = new Table(settings.maxFailures());
        this.addresses = new Table(settings.maxFailuresPerAddress());
    }

    /** The lockout in force for this user name (may be null) or this address, the longer one; empty when none. */
    public Optional<Lockout> lockedOut(String user, String address) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Lockout byUser = user == null ? null : users.lockedOut(user, now, true);
        Lockout byAddress = address == null ? null : addresses.lockedOut(addressKey(address), now, false);
        if (byUser == null) {
            return Optional.ofNullable(byAddress);
        }
        return Optional.of(byAddress != null && byAddress.until().isAfter(byUser.until()) ? byAddress : byUser);
    }

    /**
     * Counts one failed login.
     *
     * @param user    the name the login claimed; null when it named none (a refused bearer token)
     * @param address the client's address
     * @return the lockout this failure begins, if it begins one
     */
    public Optional<Lockout> failed(String user, String address) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Lockout byUser = user == null ? null : users.failed(user, now, true);
        Lockout byAddress = address == null ? null : addresses.failed(addressKey(address), now, false);
        return Optional.ofNullable(byUser != null ? byUser : byAddress);
    }

    /** A successful login: the user's failures are forgotten (the address's are not: it may be shared). */
    public void succeeded(String user) {
        if (settings.enabled() && user != null) {
            users.forget(user);
        }
    }

    /** Entries held, users and addresses together: what the memory bound is about. */
    int tracked() {
        return users.size() + addresses.size();
    }

    /** The key an address counts under: itself, or its /64 for IPv6. */
    static String addressKey(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // a literal address is parsed, never looked up
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException | SecurityException notALiteral) {
            return address;
        }
    }

    private Duration lockoutAfter(int lockouts) {
        Duration max = settings.maxLockout();
        Duration d = settings.lockout();
        for (int i = 1; i < lockouts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** How long an entry without failures and without a lockout is kept: its back-off is remembered this long. */
    private Duration memory() {
        return settings.window().compareTo(settings.maxLockout()) > 0 ? settings.window() : settings.maxLockout();
    }

    private static final class Entry {
        private Instant windowStart;
        private int failures;
        private int lockouts;
        private Instant lockedUntil;
        private Instant lastFailure;

        boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    /** One table: entries by key, least recently seen first. */
    private final class Table {
        private final int maxFailures;
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

        Table(int maxFailures) {
            this.maxFailures = maxFailures;
        }

        synchronized Lockout lockedOut(String key, Instant now, boolean byUser) {
            Entry e = entries.get(key);
            return e != null && e.locked(now) ? new Lockout(key, e.failures, Duration.between(now, e.lockedUntil),
                    e.lockedUntil, byUser) : null;
        }

        synchronized Lockout failed(String key, Instant now, boolean byUser) {
            Entry e = entries.get(key);
            if (e != null && forgettable(e, now)) {
                entries.remove(key);
                e = null;
            }
            if (e == null) {
                makeRoom(now);
                e = new Entry();
                entries.put(key, e);
            }
            if (e.locked(now)) {
                return null; // refused before it was checked; the lockout stands as it is
            }
            e.lastFailure = now;
            if (e.windowStart == null || !now.isBefore(e.windowStart.plus(settings.window()))) {
                e.windowStart = now;
                e.failures = 0;
            }
            e.failures++;
            // after a lockout, on probation: the next failure locks again, for longer
            int threshold = e.lockouts == 0 ? maxFailures : 1;
            if (e.failures < threshold) {
                return null;
            }
            e.lockouts++;
            Duration d = lockoutAfter(e.lockouts);
            e.lockedUntil = now.plus(d);
            Lockout begun = new Lockout(key, e.failures, d, e.lockedUntil, byUser);
            e.failures = 0;
            e.windowStart = null;
            return begun;
        }

        synchronized void forget(String key) {
            entries.remove(key);
        }

        synchronized int size() {
            return entries.size();
        }

        private boolean forgettable(Entry e, Instant now) {
            if (e.locked(now)) {
                return false;
            }
            Instant since = e.lockedUntil != null && e.lockedUntil.isAfter(e.lastFailure) ? e.lockedUntil : e.lastFailure;
            return !now.isBefore(since.plus(memory()));
        }

        private void makeRoom(Instant now) {
            if (entries.size() < settings.maxTracked()) {
                return;
            }
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (!it.next().locked(now)) {
                    it.remove();
                    return;
                }
            }
            String soonest = null;
            Instant until = null;
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                if (until == null || e.getValue().lockedUntil.isBefore(until)) {
                    soonest = e.getKey();
                    until = e.getValue().lockedUntil;
                }
            }
            entries.remove(soonest);
        }
    }
}
