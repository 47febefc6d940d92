//! SSRF guard: subscriber URLs may only reach public addresses. Names are
//! resolved by our own resolver, which drops every non-global address, and
//! the connection uses exactly the addresses it returned — so a name cannot
//! pass the check and then resolve elsewhere (DNS rebinding).

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

/// Whether an address is on the public internet. An IPv6 address that
/// carries an IPv4 one (mapped, compatible, 6to4, Teredo, NAT64) is judged
/// by the IPv4 address it leads to.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => global_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Embedded::None => global_v6(v6),
            Embedded::One(v4) => global_v4(v4),
            Embedded::Two(a, b) => global_v4(a) && global_v4(b),
            Embedded::Opaque => false,
        },
    }
}

enum Embedded {
    None,
    One(Ipv4Addr),
    /// Teredo: the server's address and the client's.
    Two(Ipv4Addr, Ipv4Addr),
    /// Translates to addresses we cannot see (local-use NAT64).
    Opaque,
}

/// The IPv4 address an IPv6 form leads to, if it is one of those that do.
fn embedded_v4(ip: Ipv6Addr) -> Embedded {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Embedded::One(v4);
    }
    match s {
        // IPv4-translated, ::ffff:0:a.b.c.d (SIIT).
        [0, 0, 0, 0, 0xffff, 0, hi, lo] => Embedded::One(v4(hi, lo)),
        // ::a.b.c.d, IPv4-compatible (deprecated, but routable by some stacks);
        // :: and ::1 are left to the IPv6 rules.
        [0, 0, 0, 0, 0, 0, hi, lo] if hi != 0 => Embedded::One(v4(hi, lo)),
        // 6to4, 2002:AABB:CCDD::/48 → AA.BB.CC.DD.
        [0x2002, hi, lo, ..] => Embedded::One(v4(hi, lo)),
        // Teredo, 2001:0::/32: the server, and the client's address inverted.
        [0x2001, 0, shi, slo, _, _, chi, clo] => Embedded::Two(v4(shi, slo), v4(!chi, !clo)),
        // NAT64 well-known prefix, 64:ff9b::/96.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Embedded::One(v4(hi, lo)),
        // Local-use NAT64, 64:ff9b:1::/48: the operator's own translator.
        [0x64, 0xff9b, 1, ..] => Embedded::Opaque,
        _ => Embedded::None,
    }
}

fn global_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast (deprecated)
        || a >= 240) // reserved
}

fn global_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || (first & 0xfff0) == 0x3ff0 // documentation, 3fff::/20
        || (first & 0xffc0) == 0xfec0 // site local (deprecated)
        || ip.segments()[..4] == [0x100, 0, 0, 0] // discard only, 100::/64
        || first == 0x5f00) // segment routing ids, 5f00::/16
}

/// Checks a subscriber URL's form (not its addresses, which change).
pub fn check_url(raw: &str, allow_http: bool) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err("must use https:// (ALLOW_HTTP_WEBHOOKS is off)".into()),
        other => return Err(format!("{other}:// is not http(s)")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a username or password".into());
    }
    Ok(url)
}

/// An address literal in the URL skips DNS, so it is checked here.
pub fn check_literal(url: &Url, allow_private: bool) -> Result<(), String> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if allow_private || is_global(ip) {
        Ok(())
    } else {
        Err(format!("{ip} is not a public address"))
    }
}

/// The resolver the delivery client uses.
#[derive(Debug, Clone)]
pub struct PublicOnly {
    pub allow_private: bool,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || is_global(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

pub fn resolver(allow_private: bool) -> Arc<PublicOnly> {
    Arc::new(PublicOnly { allow_private })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "255.255.255.255",
            // IPv6 forms that carry a private IPv4 address.
            "2002:7f00:1::1",               // 6to4 of 127.0.0.1
            "2002:a9fe:a9fe::",             // 6to4 of 169.254.169.254
            "2001:0:c0a8:101::",            // Teredo server 192.168.1.1
            "2001:0:808:808:0:0:f5ff:fffe", // Teredo client 10.0.0.1 (inverted)
            "64:ff9b::7f00:1",              // NAT64 of 127.0.0.1
            "64:ff9b:1::808:808",           // local-use NAT64
            "::a00:1",                      // IPv4-compatible 10.0.0.1
            "::ffff:0:7f00:1",              // IPv4-translated 127.0.0.1
            "fec0::1",
            "100::1",
            "5f00::1",
            "3fff::1",
            "192.88.99.1",
        ] {
            assert!(!is_global(private.parse().unwrap()), "{private}");
        }
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "2002:808:808::1",              // 6to4 of 8.8.8.8
            "64:ff9b::808:808",             // NAT64 of 8.8.8.8
            "2001:0:808:808:0:0:f7f7:f7f7", // Teredo, both ends public
        ] {
            assert!(is_global(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_must_be_https_without_credentials() {
        assert!(check_url("https://hooks.example.com/x", false).is_ok());
        assert!(check_url("http://hooks.example.com/x", false).is_err());
        assert!(check_url("http://hooks.example.com/x", true).is_ok());
        assert!(check_url("ftp://x.example", true).is_err());
        assert!(check_url("https://user:pw@x.example", false).is_err());
        let literal = check_url("https://169.254.169.254/latest", false).unwrap();
        assert!(check_literal(&literal, false).is_err());
        assert!(check_literal(&literal, true).is_ok());
    }
}
