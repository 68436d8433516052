//! A small keyed rate limiter (GCRA, from `governor`): at most `burst` attempts at once per key,
//! refilled at `per_minute` a minute, and the client address it is keyed by. The web pages limit
//! login attempts with it, the API its public endpoints.

use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
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

/// The address of the client: the peer, or behind one of the `trusted` proxies the address that
/// proxy says it forwarded for (the right-most `X-Forwarded-For` entry that is not itself a
/// trusted proxy). A client cannot choose its key by sending the header itself, because a header
/// from an untrusted peer is ignored.
pub fn client_address(req: &actix_web::HttpRequest, trusted: &[IpAddr]) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    if !trusted.contains(&peer) {
        return peer;
    }
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // From the right, the first entry our proxies did not add. A proxy may write an address with
    // its port; an entry that is no address at all ends the walk, since whatever is left of it
    // could be anything the client sent.
    for entry in entries.iter().rev() {
        let address = entry
            .parse::<IpAddr>()
            .ok()
            .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()));
        match address {
            Some(address) if trusted.contains(&address) => {}
            Some(address) => return address,
            None => return peer,
        }
    }
    peer
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

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        use actix_web::test::TestRequest;
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let forwarded = |peer: &str| {
            TestRequest::default()
                .peer_addr(format!("{peer}:4000").parse().unwrap())
                .insert_header(("X-Forwarded-For", "6.6.6.6, 192.0.2.7, 10.0.0.2"))
                .to_http_request()
        };
        let client: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_address(&forwarded("10.0.0.2"), &[proxy]), client);
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            client_address(&forwarded("203.0.113.9"), &[proxy]),
            stranger
        );
        assert_eq!(client_address(&forwarded("10.0.0.2"), &[]), proxy);
        let through = |header: &str| {
            let request = TestRequest::default()
                .peer_addr("10.0.0.2:4000".parse().unwrap())
                .insert_header(("X-Forwarded-For", header))
                .to_http_request();
            client_address(&request, &[proxy])
        };
        assert_eq!(
            through("198.51.100.77, 203.0.113.5:51234"),
            "203.0.113.5".parse::<IpAddr>().unwrap(),
            "a proxy that writes the port: not the address the client made up"
        );
        assert_eq!(
            through("198.51.100.77, onleesbaar"),
            proxy,
            "nothing left of what cannot be read"
        );
    }
}
