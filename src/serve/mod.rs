//! `news-search serve`: a web page and a JSON API over one index, served by axum
//! on tokio. The index is opened once; its reader reloads by itself when an
//! indexer commits, and serving never takes the writer lock. Searches run on the
//! blocking pool, a few at a time, each within a time budget; a failure inside
//! one becomes an error response, never a dead server.

mod api;
mod app;
mod auth;
mod batch;
mod errors;
mod feeds;
mod host;
mod iiif;
mod page;
mod params;
mod scans;
mod trends;

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::Outcome;
use crate::config::ServeConfig;
use crate::error::{Error, Result};
use crate::output::diag;
use app::App;

/// Largest request body accepted (only the batch form takes one, with its own limit).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Runs the server until Ctrl-C or SIGTERM, then lets running requests finish.
pub fn run(config: &ServeConfig) -> Result<Outcome> {
    let app = Arc::new(App::open(config)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(serve(app, config))?;
    Ok(Outcome::Done)
}

async fn serve(app: Arc<App>, config: &ServeConfig) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", config.addr)))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", config.addr)))?;
    let url = format!("http://{local}/");
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {url}")?;
        out.flush()?;
    }
    if config.open {
        open_browser(&url);
    }
    accept(listener, router(app)).await;
    Ok(())
}

/// A client gets this long to send its request head (slow-loris guard).
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves connections until Ctrl-C or SIGTERM, then waits for the running
/// requests. hyper directly rather than `axum::serve`, which sets no time limit
/// on reading a request head. hyper answers a request line over 64 KB with a
/// bare 414 (431 past its 400 KB read buffer) itself; shorter ones reach the
/// API's own limits and JSON errors.
async fn accept(listener: tokio::net::TcpListener, router: Router) {
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, a connection reset before accept:
                    // wait a moment rather than spin.
                    diag::warning(format!("accepting a connection: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Each request knows its client (for the failed-login limit).
        let client = auth::Peer(peer.ip());
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(client);
                request
            });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEAD_TIMEOUT)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away mid-request is its own business.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Every route, with (from the inside out) the body limit, the Host check, the
/// error layer, the access log and the security headers.
fn router(app: Arc<App>) -> Router {
    let headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    let mut router = Router::new()
        .route("/", get(page::home))
        .route("/articles/{id}", get(page::article))
        .route("/articles/{id}/scans/{n}", get(scans::scan))
        .route("/iiif/search", get(iiif::search_all))
        .route("/iiif/{issue}/manifest.json", get(iiif::manifest))
        .route("/iiif/{issue}/search", get(iiif::search_issue))
        .route("/assets/app.js", get(page::script))
        .route("/assets/style.css", get(page::style))
        .route("/api/search", get(api::search))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/articles/{id}/similar", get(api::similar))
        .route("/api/articles/{id}/cite", get(api::cite))
        .route("/api/stats", get(api::stats))
        .route("/api/timeline", get(api::timeline))
        .route("/api/trends", get(trends::api))
        .route("/api/terms", get(api::terms))
        .route("/api/reuse", get(api::reuse))
        .route("/trends", get(trends::page))
        .route("/feed.atom", get(feeds::query_feed))
        .route("/watch/{file}", get(feeds::watch_feed))
        .route("/opensearch.xml", get(feeds::opensearch))
        .route_layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(
            Router::new()
                .route("/batch", get(batch::form).post(batch::table))
                .route("/batch.csv", axum::routing::post(batch::csv))
                .route_layer(RequestBodyLimitLayer::new(batch::MAX_BATCH_BYTES)),
        )
        .fallback(api::not_found)
        .layer(middleware::from_fn_with_state(app.clone(), auth::check))
        .layer(middleware::from_fn_with_state(app.clone(), host::check))
        .layer(middleware::from_fn(errors::shape))
        .layer(middleware::from_fn_with_state(app.clone(), access_log));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(app)
}

/// One line per request on stderr: method, path, status, milliseconds.
async fn access_log(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let client = request.extensions().get::<auth::Peer>().map(|p| p.0);
    let response = next.run(request).await;
    if !app.quiet {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut line = format!("{method} {path} {} {ms:.1} ms", response.status().as_u16());
        if let Some(failed) = response.extensions().get::<auth::Failed>() {
            let from = client.map(|ip| ip.to_string()).unwrap_or_default();
            line.push_str(&if failed.limited {
                format!(" refused: {} failed logins from {from}", failed.count)
            } else {
                format!(
                    " failed login for \"{}\" ({} from {from} in the last minute)",
                    failed.user, failed.count
                )
            });
        }
        let _ = writeln!(std::io::stderr().lock(), "{}", crate::output::clean(&line));
    }
    response
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// Opens `url` with the desktop's opener; a missing one is a note, not an error.
fn open_browser(url: &str) {
    let opened = std::process::Command::new("xdg-open")
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        diag::note(format!("could not open a browser; visit {url}"));
    }
}
