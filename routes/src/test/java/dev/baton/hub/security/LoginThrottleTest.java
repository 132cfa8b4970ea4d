package dev.baton.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The lockout rules on their own, with a clock the test moves: counting per user name and per address,
 * the doubling back-off, what is forgotten when, and the bound on memory under rotating names and addresses.
 */
class LoginThrottleTest {

    private static final String HOME = "10.0.0.1";

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    private LoginThrottle throttle(int perUser, int perAddress, int maxTracked) {
        AccessProperties.LoginThrottle settings = new AccessProperties.LoginThrottle(true, perUser, perAddress,
                Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(4), maxTracked);
        return new LoginThrottle(new AccessProperties(new AccessProperties.Security(
                new AccessProperties.Jwt("roles", "preferred_username"), settings),
                new AccessProperties.Events(List.of()), new AccessProperties.Tasks(false)), clock);
    }

    @Test
    void theFailureThatReachesTheLimitBeginsALockoutThatRefusesTheUserFromAnyAddress() {
        LoginThrottle throttle = throttle(5, 100, 1000);

        for (int i = 1; i < 5; i++) {
            assertThat(throttle.failed("ops", HOME)).as("failure %d", i).isEmpty();
        }
        Optional<LoginThrottle.Lockout> begun = throttle.failed("ops", HOME);

        assertThat(begun).hasValueSatisfying(l -> {
            assertThat(l.byUser()).isTrue();
            assertThat(l.key()).isEqualTo("ops");
            assertThat(l.failures()).isEqualTo(5);
            assertThat(l.duration()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(throttle.lockedOut("ops", "192.0.2.7")).isPresent();
        assertThat(throttle.lockedOut("dev", HOME)).as("another user from the same address").isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.lockedOut("ops", HOME)).isEmpty();
    }

    @Test
    void eachLockoutInARowLastsTwiceAsLongUpToTheMaximumAndOneFailureAfterItLocksAgain() {
        LoginThrottle throttle = throttle(3, 100, 1000);
        for (int i = 0; i < 3; i++) {
            throttle.failed("ops", HOME);
        }
        List<Duration> lockouts = new java.util.ArrayList<>();
        lockouts.add(throttle.lockedOut("ops", HOME).orElseThrow().duration());

        for (int round = 0; round < 5; round++) {
            clock.advance(lockouts.get(lockouts.size() - 1));
            assertThat(throttle.lockedOut("ops", HOME)).isEmpty();
            lockouts.add(throttle.failed("ops", HOME).orElseThrow().duration());
        }

        assertThat(lockouts).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
                Duration.ofSeconds(240), Duration.ofSeconds(240), Duration.ofSeconds(240));
    }

    @Test
    void failuresDuringALockoutAreNotCountedAndAQuietUserIsForgotten() {
        LoginThrottle throttle = throttle(3, 100, 1000);
        for (int i = 0; i < 3; i++) {
            throttle.failed("ops", HOME);
        }

        assertThat(throttle.failed("ops", HOME)).as("a failure while locked out begins nothing").isEmpty();
        // the window and the longest lockout pass without a failure: the back-off starts over
        clock.advance(Duration.ofMinutes(5).plusSeconds(30));
        assertThat(throttle.failed("ops", HOME)).isEmpty();
        assertThat(throttle.failed("ops", HOME)).isEmpty();
        assertThat(throttle.failed("ops", HOME)).hasValueSatisfying(
                l -> assertThat(l.duration()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aSuccessfulLoginForgetsTheUsersFailuresButNotTheAddresss() {
        LoginThrottle throttle = throttle(3, 4, 1000);
        throttle.failed("ops", HOME);
        throttle.failed("ops", HOME);

        throttle.succeeded("ops");

        assertThat(throttle.failed("ops", HOME)).isEmpty();
        assertThat(throttle.failed("ops", HOME)).as("the address's fourth failure").hasValueSatisfying(l -> {
            assertThat(l.byUser()).isFalse();
            assertThat(l.key()).isEqualTo(HOME);
        });
    }

    @Test
    void anAddressRotatingUserNamesIsLockedOutForEveryName() {
        LoginThrottle throttle = throttle(5, 20, 1000);

        Optional<LoginThrottle.Lockout> begun = Optional.empty();
        for (int i = 0; i < 20 && begun.isEmpty(); i++) {
            begun = throttle.failed("guess-" + i, HOME);
        }

        assertThat(begun).hasValueSatisfying(l -> assertThat(l.byUser()).isFalse());
        assertThat(throttle.lockedOut("admin", HOME)).isPresent();
        assertThat(throttle.lockedOut("admin", "10.0.0.2")).isEmpty();
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        LoginThrottle throttle = throttle(5, 3, 1000);

        throttle.failed("a", "2001:db8:1:2:0:0:0:1");
        throttle.failed("b", "2001:db8:1:2::ffff");
        Optional<LoginThrottle.Lockout> begun = throttle.failed("c", "2001:db8:1:2:abcd:1:2:3");

        assertThat(begun).hasValueSatisfying(l -> assertThat(l.key()).isEqualTo("2001:db8:1:2::/64"));
        assertThat(throttle.lockedOut(null, "2001:db8:1:2::99")).isPresent();
        assertThat(throttle.lockedOut(null, "2001:db8:1:3::1")).isEmpty();
    }

    @Test
    void rotatingNamesAndAddressesCannotGrowTheTablesNorEvictALockWhileOthersCanGo() {
        LoginThrottle throttle = throttle(3, 3, 1000);
        for (int i = 0; i < 3; i++) {
            throttle.failed("ops", HOME);
        }

        for (int i = 0; i < 100_000; i++) {
            throttle.failed("name-" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }

        assertThat(throttle.tracked()).isLessThanOrEqualTo(2000);
        assertThat(throttle.lockedOut("ops", "192.0.2.1")).as("the lock survives the flood").isPresent();
    }

    @Test
    void switchedOffItNeverLocksOut() {
        AccessProperties.LoginThrottle off = new AccessProperties.LoginThrottle(false, 1, 1, Duration.ofMinutes(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 10);
        LoginThrottle throttle = new LoginThrottle(new AccessProperties(new AccessProperties.Security(
                new AccessProperties.Jwt("roles", "preferred_username"), off), new AccessProperties.Events(List.of()),
                new AccessProperties.Tasks(false)), clock);

        assertThat(throttle.failed("ops", HOME)).isEmpty();
        assertThat(throttle.lockedOut("ops", HOME)).isEmpty();
    }
}
