//! `gh-dose serve`: the CDS Hooks service's options.

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// `gh-dose serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (plain HTTP: put HTTPS in a reverse proxy in front).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) addr: SocketAddr,
    /// The base URL clients call (behind a proxy, the proxy's): each token's aud must be this
    /// URL plus the path called [default: http://<addr>].
    #[arg(long, value_name = "URL")]
    pub(crate) public_url: Option<String>,
    /// The JWKS file with the keys of the EHRs allowed to call (ES384 or RS384; a token's jku
    /// is never fetched).
    #[arg(long, value_name = "FILE", required_unless_present = "no_auth")]
    pub(crate) jwks: Option<PathBuf>,
    /// An allowed token issuer (iss), repeatable.
    #[arg(
        long = "issuer",
        value_name = "ISS",
        required_unless_present = "no_auth"
    )]
    pub(crate) issuers: Vec<String>,
    /// No token checks: for a demo, on a loopback address only.
    #[arg(long, conflicts_with_all = ["jwks", "issuers"])]
    pub(crate) no_auth: bool,
    /// A browser origin allowed to call (CORS), repeatable; none by default.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub(crate) cors_origins: Vec<String>,
    /// Append card feedback to this file (JSON Lines; no names).
    #[arg(long, value_name = "FILE")]
    pub(crate) audit: Option<PathBuf>,
    /// Worker threads [default: the number of CPUs].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(crate) threads: Option<u16>,
    #[command(flatten)]
    pub(crate) tables: super::TableArgs,
}
