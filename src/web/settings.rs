//! How the server is reached, given when it starts (`kehou serve
//! --trusted-proxy IP --public-url URL`): which proxy's `X-Forwarded-For`
//! to believe for the rate limits' client address, and the address people
//! open, for the links the app hands out (a survey's, the invitation
//! slip's). Never from the request's `Host` header, which anyone can forge.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use maud::{html, Markup};

use crate::error::Said;
use crate::lang::Lang;

/// The server's settings (the default: no proxy trusted, no public URL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Proxies (by the address they connect from) whose `X-Forwarded-For`
    /// names the client: the school's TLS reverse proxy.
    pub trusted_proxies: Vec<IpAddr>,
    /// The address people open, e.g. `https://kehou.school.cn` (checked
    /// by [`Settings::public_url`], without a trailing `/`).
    pub public_url: Option<String>,
}

impl Settings {
    /// A public URL as given, checked: `http://` or `https://` and a host,
    /// no spaces, quotes, query or fragment; the trailing `/` dropped.
    pub fn public_url(given: &str) -> Result<String, Said> {
        let url = given.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        let fine = rest.is_some_and(|r| {
            !r.is_empty()
                && !r.starts_with('/')
                && r.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"\"'<>\\`?#".contains(&b))
        });
        if fine {
            Ok(url.to_string())
        } else {
            Err(Said::new(
                format!("公开地址 {given:?} 应为 https://主机名 (如 https://kehou.school.cn)"),
                format!(
                    "public URL {given:?}: expected https://host (e.g. https://kehou.school.cn)"
                ),
            ))
        }
    }
}

/// The client's address for the rate limits: the connecting peer's; when
/// the peer is a trusted proxy, the last address of `X-Forwarded-For`
/// (the one that proxy appended; any before it are what the client sent,
/// and may be forged). `local` when there is no peer (in-process).
pub(crate) fn client(headers: &HeaderMap, peer: Option<IpAddr>, s: &Settings) -> String {
    let Some(peer) = peer else {
        return "local".into();
    };
    if !s.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    forwarded(headers).unwrap_or(peer).to_string()
}

/// The last hop of the last `X-Forwarded-For` header, if it is an address.
fn forwarded(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let hop = last.to_str().ok()?.rsplit(',').next()?.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// A link to `path` (starting with `/`) for people to open: under the
/// public URL, or the path alone when none is set (the bool: it is set).
pub(crate) fn public_link(s: &Settings, path: &str) -> (String, bool) {
    match &s.public_url {
        Some(base) => (format!("{base}{path}"), true),
        None => (path.to_string(), false),
    }
}

/// What a page says under a link given as a path alone.
pub(crate) fn no_public_url(lang: Lang) -> Markup {
    html! {
        p.error.no-public-url { (lang.t(
            "未设置公开地址, 链接只有路径: 请在前面加上学校对外的网址, 或以 kehou serve --public-url https://… 启动服务.",
            "No public URL is set, so the link is a path only: put the address people open before it, or start the server with kehou serve --public-url https://…",
        )) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.7"),
        );
        let none = Settings::default();
        assert_eq!(client(&h, Some(ip("127.0.0.1")), &none), "127.0.0.1");
        let proxy = Settings {
            trusted_proxies: vec![ip("127.0.0.1")],
            public_url: None,
        };
        // The last hop, never the forged first.
        assert_eq!(client(&h, Some(ip("127.0.0.1")), &proxy), "10.0.0.7");
        // Another peer's header is not believed.
        assert_eq!(client(&h, Some(ip("10.9.9.9")), &proxy), "10.9.9.9");
        // No header, or a broken one: the proxy itself.
        let mut bad = HeaderMap::new();
        bad.append("x-forwarded-for", HeaderValue::from_static("nonsense"));
        assert_eq!(client(&bad, Some(ip("127.0.0.1")), &proxy), "127.0.0.1");
        assert_eq!(
            client(&HeaderMap::new(), Some(ip("127.0.0.1")), &proxy),
            "127.0.0.1"
        );
        assert_eq!(client(&h, None, &proxy), "local");
    }

    #[test]
    fn a_public_url_is_checked() {
        assert_eq!(
            Settings::public_url(" https://kehou.school.cn/ ").as_deref(),
            Ok("https://kehou.school.cn")
        );
        assert!(Settings::public_url("http://10.0.0.5:8080").is_ok());
        for bad in [
            "kehou.school.cn",
            "https://",
            "https://a b",
            "ftp://x",
            "https://x/\"y",
            "https://x?q",
        ] {
            assert!(Settings::public_url(bad).is_err(), "{bad}");
        }
    }
}
