//! HTTP to one Quickwit node: blocking `ureq` with timeouts, JSON in and out, and
//! retries with exponential backoff and jitter for what a busy or restarting node
//! answers (429, 5xx, a refused or dropped connection).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::location::QuickwitUrl;

/// Tries per request (the first and the retries).
const ATTEMPTS: u32 = 5;
/// First backoff; doubled each retry, with up to half of it added at random.
const BACKOFF: Duration = Duration::from_millis(200);

/// A blocking client for one Quickwit index URL.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    url: QuickwitUrl,
}

/// A non-success answer that is the caller's to judge (404 for a missing index).
pub struct Refused {
    /// HTTP status.
    pub status: u16,
    /// Quickwit's `message`, or the body.
    pub message: String,
}

/// The largest response read.
const MAX_RESPONSE_BYTES: u64 = 1 << 30;

impl Client {
    /// A client with connect and read timeouts.
    pub fn new(url: &QuickwitUrl, timeout: Duration) -> Client {
        Client {
            agent: ureq::AgentBuilder::new()
                .timeout_connect(Duration::from_secs(5))
                .timeout(timeout)
                .build(),
            url: url.clone(),
        }
    }

    /// The error for this index, naming its URL.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::Quickwit {
            url: self.url.to_string(),
            message: message.into(),
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Result<std::result::Result<Value, Refused>> {
        self.send("GET", path, None, "")
    }

    /// `POST path` with a JSON body.
    pub fn post_json(
        &self,
        path: &str,
        body: &Value,
    ) -> Result<std::result::Result<Value, Refused>> {
        let bytes = serde_json::to_vec(body).map_err(|e| self.error(e.to_string()))?;
        self.send("POST", path, Some(&bytes), "application/json")
    }

    /// `POST path` with an NDJSON body.
    pub fn post_ndjson(
        &self,
        path: &str,
        body: &[u8],
    ) -> Result<std::result::Result<Value, Refused>> {
        self.send("POST", path, Some(body), "application/x-ndjson")
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str) -> Result<std::result::Result<Value, Refused>> {
        self.send("DELETE", path, None, "")
    }

    /// Sends one request, retrying what a retry can fix. A transport failure after the
    /// last try is an error naming the URL; an HTTP refusal is returned to judge.
    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        content_type: &str,
    ) -> Result<std::result::Result<Value, Refused>> {
        let address = format!("{}{}", self.url.base, path);
        let mut wait = BACKOFF;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let request = self.agent.request(method, &address);
            let response = match body {
                Some(bytes) => request.set("Content-Type", content_type).send_bytes(bytes),
                None => request.call(),
            };
            let retry = match response {
                Ok(response) => {
                    // Search answers can be large (a thousand stored articles).
                    let mut text = String::new();
                    std::io::Read::read_to_string(
                        &mut std::io::Read::take(response.into_reader(), MAX_RESPONSE_BYTES),
                        &mut text,
                    )
                    .map_err(|e| self.error(e.to_string()))?;
                    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                    return Ok(Ok(value));
                }
                Err(ureq::Error::Status(status, response)) => {
                    let text = response.into_string().unwrap_or_default();
                    let message = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["message"].as_str().map(str::to_string))
                        .unwrap_or(text);
                    if status != 429 && status < 500 {
                        return Ok(Err(Refused { status, message }));
                    }
                    last = format!("HTTP {status}: {message}");
                    true
                }
                Err(ureq::Error::Transport(transport)) => {
                    last = format!("cannot reach the Quickwit node: {transport}");
                    true
                }
            };
            if retry && attempt < ATTEMPTS {
                std::thread::sleep(wait + jitter(wait / 2));
                wait *= 2;
            }
        }
        Err(self.error(format!("{last} (after {ATTEMPTS} tries)")))
    }
}

/// A random share of `up_to` (the clock's nanoseconds are random enough for spreading
/// retries of several clients apart).
fn jitter(up_to: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let share = f64::from(nanos % 1000) / 1000.0;
    up_to.mul_f64(share)
}
