//! A small keyed rate limiter (GCRA, from `governor`): at most `burst` attempts at once per key,
//! refilled at `per_minute` a minute, and the client it is keyed by. The web pages limit login
//! attempts with it, the API its public endpoints.

use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use ipnet::IpNet;

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

/// The key of the client: its address, or for IPv6 its /64 (one subscriber's network, whose
/// addresses it may choose freely), so that a new address is not a new quota.
pub fn client_key(req: &actix_web::HttpRequest, trusted: &[IpNet]) -> IpAddr {
    match client_address(req, trusted) {
        IpAddr::V6(address) => match address.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from_bits(
                address.to_bits() & !u128::from(u64::MAX),
            )),
        },
        v4 => v4,
    }
}

/// The address of the client: the peer, or behind one of the `trusted` proxies (an address or
/// a range, since an ingress's pods come and go) the address that proxy says it forwarded for
/// (the right-most `X-Forwarded-For` entry that is not itself a trusted proxy). A client cannot
/// choose its address by sending the header itself, because a header from an untrusted peer is
/// ignored.
fn client_address(req: &actix_web::HttpRequest, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    if !is_trusted(&peer) {
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
            Some(address) if is_trusted(&address) => {}
            Some(address) => return address,
            None => return peer,
        }
    }
    peer
}

/// A trusted proxy as configured: an address, or a range in CIDR notation (`10.0.0.0/8`).
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is no IP address or CIDR range"))
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
        let trusted = [IpNet::from(proxy)];
        let forwarded = |peer: &str| {
            TestRequest::default()
                .peer_addr(format!("{peer}:4000").parse().unwrap())
                .insert_header(("X-Forwarded-For", "6.6.6.6, 192.0.2.7, 10.0.0.2"))
                .to_http_request()
        };
        let client: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_address(&forwarded("10.0.0.2"), &trusted), client);
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(
            client_address(&forwarded("203.0.113.9"), &trusted),
            stranger
        );
        assert_eq!(client_address(&forwarded("10.0.0.2"), &[]), proxy);
        let through = |header: &str| {
            let request = TestRequest::default()
                .peer_addr("10.0.0.2:4000".parse().unwrap())
                .insert_header(("X-Forwarded-For", header))
                .to_http_request();
            client_address(&request, &trusted)
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

    #[test]
    fn a_range_of_proxies_is_trusted_and_an_ipv6_client_is_keyed_by_its_64() {
        use actix_web::test::TestRequest;
        let ingress = [
            parse_proxy("10.244.0.0/16").unwrap(),
            parse_proxy("::1").unwrap(),
        ];
        let request = |peer: &str, forwarded: &str| {
            TestRequest::default()
                .peer_addr(peer.parse().unwrap())
                .insert_header(("X-Forwarded-For", forwarded))
                .to_http_request()
        };
        let key = |peer: &str, forwarded: &str| client_key(&request(peer, forwarded), &ingress);
        assert_eq!(
            key("10.244.7.9:4000", "192.0.2.7"),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            key("10.245.0.1:4000", "192.0.2.7"),
            "10.245.0.1".parse::<IpAddr>().unwrap()
        );
        let one = key("10.244.7.9:4000", "2001:db8:1:2:aaaa::1");
        assert_eq!(one, "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert_eq!(
            key("10.244.7.9:4000", "2001:db8:1:2:bbbb::9"),
            one,
            "the same /64"
        );
        assert_ne!(key("10.244.7.9:4000", "2001:db8:1:3::1"), one);
        assert_eq!(
            key("[::ffff:192.0.2.7]:4000", "x"),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        assert!(parse_proxy("10.0.0.0/33").is_err());
        assert!(parse_proxy("ingress").is_err());
    }
}
