//! Who the client is, for the per-address login back-off and the audit log.
//!
//! Directly connected, the client is the peer of the TCP connection. Behind a reverse proxy
//! every peer is the proxy, so the per-address back-off would slow everyone down at once; then
//! the proxy's `X-Forwarded-For` names the client. That header is believed only from peers the
//! operator listed as trusted proxies (`NAD_TRUSTED_PROXIES`): anyone else could write any
//! address into it and so escape the back-off. Read from the right (the entry the nearest
//! proxy added) to the left, the first address that is not a trusted proxy is the client.

use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's address of a request, put in the request's extensions by the server's layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Parses the trusted proxies setting: addresses and CIDR ranges separated by commas.
pub fn parse_trusted_proxies(setting: &str) -> Result<Vec<IpNet>, String> {
    setting
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "'{entry}' in NAD_TRUSTED_PROXIES is geen IP-adres of CIDR-bereik \
                         (zoals 10.0.0.5 of 10.0.0.0/24)"
                    )
                })
        })
        .collect()
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// The client of a request that came from `peer` with these `X-Forwarded-For` values (in the
/// order the header lines came).
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpNet],
) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    if !is_trusted(&peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|line| line.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        // A malformed entry ends the chain: what is left of it can't be told apart from
        // something the client wrote itself.
        let Some(address) = parse_entry(entry) else {
            return client;
        };
        client = address;
        if !is_trusted(&address) {
            return address;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(
            client_address(ip("203.0.113.9"), ["198.51.100.1"], &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn an_untrusted_peer_can_not_choose_its_address() {
        let trusted = parse_trusted_proxies("10.0.0.0/8").unwrap();
        assert_eq!(
            client_address(ip("203.0.113.9"), ["198.51.100.1"], &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let trusted = parse_trusted_proxies("10.0.0.1, 10.1.0.0/16").unwrap();
        // The client wrote a false address in front; the proxies appended the real one.
        assert_eq!(
            client_address(
                ip("10.0.0.1"),
                ["6.6.6.6, 198.51.100.7", "10.1.2.3"],
                &trusted
            ),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), ["198.51.100.7:51234"], &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), ["[2001:db8::7]:443"], &trusted),
            ip("2001:db8::7")
        );
    }

    #[test]
    fn a_trusted_peer_without_a_header_is_the_client() {
        let trusted = parse_trusted_proxies("127.0.0.1").unwrap();
        assert_eq!(
            client_address(ip("127.0.0.1"), [], &trusted),
            ip("127.0.0.1")
        );
        // Every entry a trusted proxy: the left-most one is as far as the chain goes.
        assert_eq!(
            client_address(ip("127.0.0.1"), ["127.0.0.1"], &trusted),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_malformed_entry_ends_the_chain() {
        let trusted = parse_trusted_proxies("10.0.0.0/8").unwrap();
        assert_eq!(
            client_address(ip("10.0.0.1"), ["198.51.100.7, onzin, 10.0.0.2"], &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn the_setting_is_checked() {
        assert_eq!(parse_trusted_proxies("").unwrap(), vec![]);
        assert_eq!(parse_trusted_proxies(" 10.0.0.1 , ::1 ").unwrap().len(), 2);
        let error = parse_trusted_proxies("10.0.0.1, proxy.example").unwrap_err();
        assert!(error.contains("'proxy.example'"), "{error}");
        assert!(parse_trusted_proxies("10.0.0.0/33").is_err());
    }
}
