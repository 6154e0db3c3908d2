//! The network: axum on a tokio runtime built only by `gh-dose serve`.
//! Every request is authenticated (`auth.rs`) unless `--no-auth` was given
//! on a loopback address; bodies are capped ([`MAX_BODY_BYTES`], 413), a
//! request has [`REQUEST_SECONDS`] to arrive and be answered (408), at most
//! [`MAX_IN_FLIGHT`] are handled at once (the rest wait), a panic is a 500
//! and the process lives on, and SIGTERM or ctrl-c stop accepting and let
//! the requests in flight finish. CORS only for the `--cors-origin`s.

use super::auth::{Denied, Verifier};
use super::discovery::{discovery, service};
use super::hook::{Env, Problem, call};
use crate::rules::RuleSet;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The largest request body taken, in bytes (413 above).
pub(crate) const MAX_BODY_BYTES: usize = 1 << 20;
/// Seconds a request has to be read and answered (408 after).
pub(crate) const REQUEST_SECONDS: u64 = 10;
/// Requests handled at once; the others wait for a slot.
pub(crate) const MAX_IN_FLIGHT: usize = 64;

/// How the service runs (from `gh-dose serve`'s options).
#[derive(Debug)]
pub(crate) struct Options {
    /// The base URL clients call, which `aud` must match (`--public-url`;
    /// default `http://<addr>`).
    pub(crate) public_url: String,
    /// `None` with `--no-auth`.
    pub(crate) verifier: Option<Verifier>,
    pub(crate) cors_origins: Vec<HeaderValue>,
    pub(crate) audit: Option<PathBuf>,
    /// Today's date (the decision date of every call).
    pub(crate) today: fn() -> NaiveDate,
    /// Worker threads of the runtime.
    pub(crate) threads: usize,
}

struct Shared {
    rules: RuleSet,
    rules_sha256: String,
    opts: Options,
    audit_lock: Mutex<()>,
}

/// Serves on `listener` until SIGTERM or ctrl-c; in-flight requests finish.
pub(crate) fn run(
    listener: std::net::TcpListener,
    rules: RuleSet,
    opts: Options,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(opts.threads.max(1))
        .enable_all()
        .build()?;
    let rules_sha256 = rules.origin.sha256.clone();
    let shared = Arc::new(Shared {
        rules,
        rules_sha256,
        opts,
        audit_lock: Mutex::new(()),
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(stop_signal())
            .await
    })
}

/// The routes and their limits.
fn router(shared: Arc<Shared>) -> Router {
    let cors = (!shared.opts.cors_origins.is_empty()).then(|| {
        tower_http::cors::CorsLayer::new()
            .allow_origin(shared.opts.cors_origins.clone())
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .max_age(Duration::from_secs(600))
    });
    let router = Router::new()
        .route("/cds-services", get(discover))
        .route("/cds-services/{id}", post(hook))
        .route("/cds-services/{id}/feedback", post(feedback))
        .fallback(not_found)
        .with_state(shared)
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            MAX_IN_FLIGHT,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES));
    let router = match cors {
        Some(c) => router.layer(c),
        None => router,
    };
    router
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(REQUEST_SECONDS),
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                problem(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            },
        ))
}

/// SIGTERM or ctrl-c.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// A JSON body with a status.
fn answer(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// An error status with `{"error": "..."}`.
fn problem(status: StatusCode, message: &str) -> Response {
    answer(status, &json!({ "error": crate::error::one_line(message) }))
}

/// The token check of a request to `uri`: `None` when it may go on.
fn denied(shared: &Shared, headers: &HeaderMap, uri: &Uri) -> Option<Response> {
    let v = shared.opts.verifier.as_ref()?;
    let audience = format!(
        "{}{}",
        shared.opts.public_url.trim_end_matches('/'),
        uri.path()
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok());
    let e = v.check(auth, &audience, now).err()?;
    if e == Denied::Busy {
        return Some(problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()));
    }
    let mut r = problem(StatusCode::UNAUTHORIZED, &e.to_string());
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    Some(r)
}

async fn discover(State(s): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    if let Some(r) = denied(&s, &headers, &uri) {
        return r;
    }
    answer(StatusCode::OK, &discovery())
}

async fn hook(
    State(s): State<Arc<Shared>>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Some(r) = denied(&s, &headers, &uri) {
        return r;
    }
    let Some(svc) = service(&id) else {
        return problem(
            StatusCode::NOT_FOUND,
            "no such service: see GET /cds-services",
        );
    };
    let env = Env {
        rules: &s.rules,
        rules_sha256: &s.rules_sha256,
        as_of: (s.opts.today)(),
    };
    match call(svc, &body, env) {
        Ok(v) => answer(StatusCode::OK, &v),
        Err(Problem::Malformed(m)) => problem(StatusCode::BAD_REQUEST, &m),
        Err(Problem::Precondition(m)) => problem(StatusCode::PRECONDITION_FAILED, &m),
    }
}

async fn feedback(
    State(s): State<Arc<Shared>>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Some(r) = denied(&s, &headers, &uri) {
        return r;
    }
    if service(&id).is_none() {
        return problem(
            StatusCode::NOT_FOUND,
            "no such service: see GET /cds-services",
        );
    }
    let value = match std::str::from_utf8(&body)
        .ok()
        .and_then(|t| crate::strict_json::parse(t).ok())
    {
        Some(v) => v,
        None => return problem(StatusCode::BAD_REQUEST, "the body is not JSON"),
    };
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let hash = crate::diagnostic::sha256_hex(&body);
    let lines = match super::feedback::lines(&value, &id, &now, &hash, &s.rules_sha256) {
        Ok(l) => l,
        Err(m) => return problem(StatusCode::BAD_REQUEST, &m),
    };
    if let Some(path) = &s.opts.audit {
        let _guard = s.audit_lock.lock().unwrap_or_else(|p| p.into_inner());
        if super::feedback::append(path, &lines).is_err() {
            return problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the audit log cannot be written",
            );
        }
    }
    (StatusCode::OK, Body::empty()).into_response()
}

async fn not_found() -> Response {
    problem(StatusCode::NOT_FOUND, "not found: see GET /cds-services")
}

/// The address `--public-url` defaults to.
pub(crate) fn default_public_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
