//! A small keyed rate limiter (GCRA, from `governor`): at most `burst` attempts at once per key,
//! refilled at `per_minute` a minute. The web pages limit login attempts per client address
//! with it; the API can use it the same way.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// How often the limiter forgets keys it has not seen for a while, counted in checks.
const FORGET_EVERY: u64 = 1024;

pub struct KeyedLimiter<K: Hash + Eq + Clone> {
    limiter: RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>,
    checks: std::sync::atomic::AtomicU64,
}

/// Refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany {
    pub retry_after: Duration,
}

impl<K: Hash + Eq + Clone> KeyedLimiter<K> {
    /// `per_minute` attempts a minute per key, at most `burst` at once (both at least 1).
    pub fn new(per_minute: u32, burst: u32) -> KeyedLimiter<K> {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        KeyedLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
            checks: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Counts one attempt for `key`; refused when the key is over its quota.
    pub fn check(&self, key: &K) -> Result<(), TooMany> {
        let seen = self
            .checks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if seen % FORGET_EVERY == FORGET_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| TooMany {
            retry_after: not_until.wait_time_from(DefaultClock::default().now()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_burst_is_refused_while_other_keys_go_on() {
        let limiter = KeyedLimiter::new(1, 3);
        for _ in 0..3 {
            assert!(limiter.check(&"a").is_ok());
        }
        let refused = limiter.check(&"a").expect_err("fourth attempt at once");
        assert!(refused.retry_after > Duration::ZERO);
        assert!(refused.retry_after <= Duration::from_secs(60));
        assert!(limiter.check(&"b").is_ok(), "another key has its own quota");
    }
}
