//! Shell completions and the man page, generated from the clap definition.

use clap_complete::Shell;

/// Completion script for a shell.
pub fn completions(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut super::command(), "gh-dose", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The man page (roff).
pub fn man() -> std::io::Result<String> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(super::command()).render(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
