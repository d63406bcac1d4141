//! A password on a shared server: `serve --auth-file FILE` reads `user:password`
//! lines (argon2 or bcrypt hashes, as `htpasswd -B` writes them; plain passwords
//! work but are warned about) and asks every request, on every route, for HTTP
//! Basic credentials. Passwords are compared in constant time (plain ones
//! through their SHA-256 digests), an unknown user costs as much as a known one,
//! and a client with too many failed logins in a minute is refused (429) before
//! any password is checked. Failed logins are marked in the access log.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::app::App;
use crate::error::{Error, Result};

/// Failed logins one client may make in [`WINDOW`] before it is refused.
pub const MAX_FAILURES: u32 = 5;
/// The window failed logins are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Logins remembered as good, so a page's assets do not each pay for a hash.
const MAX_REMEMBERED: usize = 1000;
/// Clients whose failures are tracked at once (the oldest are forgotten).
const MAX_CLIENTS: usize = 10_000;

/// The client's address, put on each request by the connection loop.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub IpAddr);

/// A failed login, on its response for the access log.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The user name tried (empty: no credentials sent).
    pub user: String,
    /// Failures from this client in the current window.
    pub count: u32,
    /// The client was refused without a check (too many failures).
    pub limited: bool,
}

/// How a password is kept.
#[derive(Clone)]
enum Secret {
    /// An argon2 PHC string (`$argon2id$…`).
    Argon2(String),
    /// A bcrypt hash (`$2b$…`, `$2y$…`).
    Bcrypt(String),
    /// A plain password, kept as its SHA-256 digest.
    Plain([u8; 32]),
}

impl Secret {
    fn of(text: &str) -> Secret {
        if text.starts_with("$argon2") {
            Secret::Argon2(text.to_string())
        } else if ["$2a$", "$2b$", "$2x$", "$2y$"]
            .iter()
            .any(|p| text.starts_with(p))
        {
            Secret::Bcrypt(text.to_string())
        } else {
            Secret::Plain(digest(text.as_bytes()))
        }
    }

    /// Whether `password` is this one (slow for hashes, by design).
    fn verify(&self, password: &str) -> bool {
        match self {
            Secret::Argon2(phc) => {
                use argon2::password_hash::{PasswordHash, PasswordVerifier};
                PasswordHash::new(phc).is_ok_and(|hash| {
                    argon2::Argon2::default()
                        .verify_password(password.as_bytes(), &hash)
                        .is_ok()
                })
            }
            Secret::Bcrypt(hash) => bcrypt::verify(password, hash).unwrap_or(false),
            Secret::Plain(expected) => digest(password.as_bytes()).ct_eq(expected).into(),
        }
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The users of an auth file.
pub struct Users {
    secrets: HashMap<String, Secret>,
    /// Checked for an unknown user, so that costs what a known one does.
    decoy: Secret,
}

impl Users {
    /// Reads `path`: `user:password` lines; `#` comments and blank lines are
    /// skipped. Returns the users and a warning per plain password.
    pub fn load(path: &Path) -> Result<(Users, Vec<String>)> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut secrets = HashMap::new();
        let mut warnings = Vec::new();
        let mut decoy = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let at = format!("{}:{}", path.display(), n + 1);
            let Some((user, password)) = line.split_once(':') else {
                return Err(Error::Usage(format!(
                    "{at}: expected `user:password` (or a hash as `htpasswd -B` writes)"
                )));
            };
            if user.is_empty() || password.is_empty() {
                return Err(Error::Usage(format!(
                    "{at}: the user name and the password must not be empty"
                )));
            }
            let secret = Secret::of(password);
            if let Secret::Argon2(phc) = &secret
                && !argon2::password_hash::PasswordHash::new(phc)
                    .is_ok_and(|hash| hash.hash.is_some() && hash.salt.is_some())
            {
                return Err(Error::Usage(format!("{at}: not a valid argon2 hash")));
            }
            if let Secret::Plain(_) = secret {
                warnings.push(format!(
                    "{at}: the password of `{user}` is stored as plain text; store an argon2 or bcrypt hash instead (`htpasswd -nB {user}` prints a line)"
                ));
            }
            if secrets.insert(user.to_string(), secret.clone()).is_some() {
                return Err(Error::Usage(format!("{at}: `{user}` is listed twice")));
            }
            decoy.get_or_insert(secret);
        }
        let Some(decoy) = decoy else {
            return Err(Error::Usage(format!(
                "{}: no `user:password` line in it",
                path.display()
            )));
        };
        Ok((Users { secrets, decoy }, warnings))
    }
}

/// The users, the logins already checked, and the failures per client.
pub struct Guard {
    users: Users,
    /// Digests of `user:password` pairs that passed.
    good: Mutex<HashSet<[u8; 32]>>,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl Guard {
    /// A guard for `users`.
    pub fn new(users: Users) -> Guard {
        Guard {
            users,
            good: Mutex::new(HashSet::new()),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Failures of `client` in its current window, and when that window ends.
    fn failures(&self, client: IpAddr) -> (u32, Duration) {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match failures.get(&client) {
            Some(&(count, since)) if since.elapsed() < WINDOW => {
                (count, WINDOW.saturating_sub(since.elapsed()))
            }
            _ => (0, Duration::ZERO),
        }
    }

    fn failed(&self, client: IpAddr) -> u32 {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= MAX_CLIENTS {
            failures.retain(|_, (_, since)| since.elapsed() < WINDOW);
            if failures.len() >= MAX_CLIENTS {
                failures.clear();
            }
        }
        let entry = failures.entry(client).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
        entry.0
    }

    fn succeeded(&self, client: IpAddr, pair: [u8; 32]) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&client);
        let mut good = self.good.lock().unwrap_or_else(|e| e.into_inner());
        if good.len() >= MAX_REMEMBERED {
            good.clear();
        }
        good.insert(pair);
    }

    /// Whether `user` and `password` pass (the slow check runs once per pair).
    fn check(&self, user: &str, password: &str) -> bool {
        let pair = digest(format!("{user}:{password}").as_bytes());
        let known = self
            .good
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&pair);
        if known {
            return true;
        }
        match self.users.secrets.get(user) {
            Some(secret) => secret.verify(password),
            None => {
                let _ = self.users.decoy.verify(password);
                false
            }
        }
    }
}

/// The user and password of a Basic `Authorization` header.
fn credentials(request: &Request) -> Option<(String, String)> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// Lets a request through only with good credentials (when the server has users).
pub async fn check(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let Some(guard) = app.auth.clone() else {
        return next.run(request).await;
    };
    let client = request
        .extensions()
        .get::<Peer>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |p| p.0);
    let (count, left) = guard.failures(client);
    if count >= MAX_FAILURES {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, left.as_secs().max(1).to_string())],
            format!(
                "too many failed logins from this address; try again in {} s",
                left.as_secs().max(1)
            ),
        )
            .into_response();
        response.extensions_mut().insert(Failed {
            user: credentials(&request).map(|c| c.0).unwrap_or_default(),
            count,
            limited: true,
        });
        return response;
    }
    let given = credentials(&request);
    let passed = match &given {
        Some((user, password)) => {
            let (guard, user, password) = (guard.clone(), user.clone(), password.clone());
            tokio::task::spawn_blocking(move || guard.check(&user, &password))
                .await
                .unwrap_or(false)
        }
        None => false,
    };
    if passed {
        if let Some((user, password)) = &given {
            guard.succeeded(client, digest(format!("{user}:{password}").as_bytes()));
        }
        return next.run(request).await;
    }
    // No credentials yet is the browser asking; wrong ones count as a failure.
    let count = if given.is_some() {
        guard.failed(client)
    } else {
        count
    };
    let mut response = (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"news-search\", charset=\"UTF-8\""),
        )],
        "this server asks for a user name and password",
    )
        .into_response();
    if let Some((user, _)) = given {
        response.extensions_mut().insert(Failed {
            user,
            count,
            limited: false,
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_plain_passwords_verify() {
        let bcrypt = bcrypt::hash("s3cret", 4).unwrap();
        assert!(Secret::of(&bcrypt).verify("s3cret"));
        assert!(!Secret::of(&bcrypt).verify("s3cre"));
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let phc = argon2::Argon2::default()
            .hash_password(b"s3cret", &salt)
            .unwrap()
            .to_string();
        assert!(matches!(Secret::of(&phc), Secret::Argon2(_)));
        assert!(Secret::of(&phc).verify("s3cret"));
        assert!(!Secret::of(&phc).verify("S3cret"));
        assert!(Secret::of("plain").verify("plain"));
        assert!(!Secret::of("plain").verify("plain "));
    }
}
