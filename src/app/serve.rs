//! `gh-dose serve`: the options checked, the tables and keys loaded, the
//! socket bound and its address printed (`listening on http://...`), then
//! the service (`crate::serve`) runs until SIGTERM or ctrl-c.

use super::load::{self, Sources};
use super::terminal::Terminal;
use super::{input, today, written};
use crate::cli::{ServeArgs, TopArgs};
use crate::error::{Error, ExitCode};
use axum::http::HeaderValue;
use std::io::Write;

pub(super) fn serve(
    a: &ServeArgs,
    top: &TopArgs,
    term: &Terminal,
    out: &mut dyn Write,
) -> Result<ExitCode, Error> {
    if a.no_auth && !a.addr.ip().is_loopback() {
        return Err(input(format!(
            "--no-auth is for a demo on a loopback address only; {} is not loopback: give --jwks and --issuer",
            a.addr
        )));
    }
    let rules = load::load(&Sources::of(&a.tables, top, term))?.rules;
    let verifier = match &a.jwks {
        Some(path) if !a.no_auth => {
            let (text, name) = load::read(path)?;
            let keys = crate::serve::keys(&text, &name)?;
            Some(crate::serve::Verifier::new(keys, a.issuers.clone()))
        }
        _ => None,
    };
    let mut cors_origins = Vec::new();
    for o in &a.cors_origins {
        let ok = (o.starts_with("http://") || o.starts_with("https://")) && !o.ends_with('/');
        let value = HeaderValue::from_str(o)
            .ok()
            .filter(|_| ok)
            .ok_or_else(|| {
                input(format!(
                    "--cors-origin {o:?}: an origin is scheme://host[:port], without a path"
                ))
            })?;
        cors_origins.push(value);
    }
    if let Some(u) = &a.public_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(input(format!(
            "--public-url {u:?}: a URL starting with https:// (or http://) is needed"
        )));
    }
    let listener = std::net::TcpListener::bind(a.addr).map_err(|e| Error::FileWrite {
        path: a.addr.to_string(),
        message: format!("cannot listen: {e}"),
    })?;
    let bound = listener.local_addr().map_err(Error::Output)?;
    let public_url = a
        .public_url
        .clone()
        .unwrap_or_else(|| crate::serve::default_public_url(bound));
    let threads = a.threads.map_or_else(
        || std::thread::available_parallelism().map_or(2, |n| n.get()),
        usize::from,
    );
    let auth = if verifier.is_some() {
        "bearer JWT required"
    } else {
        "NO AUTHENTICATION (--no-auth, loopback only)"
    };
    written(
        writeln!(
            out,
            "gh-dose serve: listening on http://{bound} (discovery {}/cds-services; {auth})",
            public_url.trim_end_matches('/')
        )
        .and_then(|()| out.flush()),
        ExitCode::Success,
    )?;
    let opts = crate::serve::Options {
        public_url,
        verifier,
        cors_origins,
        audit: a.audit.clone(),
        today,
        threads,
    };
    crate::serve::run(listener, rules, opts).map_err(|e| Error::FileWrite {
        path: bound.to_string(),
        message: format!("the service stopped: {e}"),
    })?;
    Ok(ExitCode::Success)
}
