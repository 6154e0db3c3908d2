//! The `gh-dose` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    gh_dose::api::main_with_args(std::env::args_os()).into()
}
