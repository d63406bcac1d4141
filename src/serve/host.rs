//! The Host check, against DNS rebinding: a page on an attacker's domain whose
//! name is made to resolve to 127.0.0.1 reaches a loopback server through the
//! visitor's browser, with the attacker's name in `Host`. Unless the server is
//! `--public`, only loopback names are answered (421). HTTP/1.1 without a Host
//! is refused either way (400), as RFC 9112 requires.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::app::App;

/// Answers the request only when its Host (and an absolute URL's authority) may be served.
pub async fn check(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|value| value.to_str().unwrap_or("\u{fffd}"));
    let authority = request.uri().authority().map(|a| a.as_str());
    match refusal(request.version(), host, authority, app.public) {
        None => next.run(request).await,
        // Plain text: the error layer gives it the route's form.
        Some((status, message)) => (status, message).into_response(),
    }
}

/// Why a request with these Host and URL authority must not be answered, if so.
fn refusal(
    version: Version,
    host: Option<&str>,
    authority: Option<&str>,
    public: bool,
) -> Option<(StatusCode, String)> {
    if host.is_none() && authority.is_none() && version >= Version::HTTP_11 {
        return Some((
            StatusCode::BAD_REQUEST,
            "an HTTP/1.1 request needs a Host header".into(),
        ));
    }
    if public {
        return None;
    }
    host.into_iter()
        .chain(authority)
        .find(|name| !is_loopback_name(name))
        .map(|name| {
            (
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "this server answers only to localhost, 127.0.0.1 or [::1], not `{}`; serve with --public to answer other names",
                    crate::output::clean(name)
                ),
            )
        })
}

/// `localhost` or a loopback address, with or without a port.
fn is_loopback_name(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]` or `[::1]:7700`.
        Some(rest) => match rest.split_once(']') {
            Some((inside, port)) if port.is_empty() || is_port(port) => inside,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            _ => host,
        },
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `:7700` without its colon.
fn is_port(text: &str) -> bool {
    let digits = text.strip_prefix(':').unwrap_or(text);
    !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_unless_public() {
        for host in [
            "localhost",
            "LocalHost:7700",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.1.2.3:7700",
            "[::1]",
            "[::1]:7700",
        ] {
            assert!(is_loopback_name(host), "{host}");
            assert!(refusal(Version::HTTP_11, Some(host), None, false).is_none());
        }
        for host in [
            "evil.example",
            "evil.example:7700",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.1:7700",
            "[::2]:7700",
            "[::1]x",
            "localhost:port",
            "",
        ] {
            assert!(!is_loopback_name(host), "{host}");
            let (status, _) = refusal(Version::HTTP_11, Some(host), None, false).unwrap();
            assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
            assert!(refusal(Version::HTTP_11, Some(host), None, true).is_none());
        }
        // An absolute URL's authority counts as much as the Host header.
        assert!(
            refusal(
                Version::HTTP_11,
                Some("localhost"),
                Some("evil.example"),
                false
            )
            .is_some()
        );
        let (status, _) = refusal(Version::HTTP_11, None, None, true).unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(refusal(Version::HTTP_10, None, None, false).is_none());
    }
}
