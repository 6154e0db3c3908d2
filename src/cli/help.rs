//! The text of `--help`: examples (each line at most 80 columns, so that
//! they survive copy and paste) and the one exit-code table every command
//! shows.

/// The top-level help: what gh-dose is, how to call it, a first example.
pub(crate) const TOP_TEMPLATE: &str = "\
{about-with-newline}
{usage-heading} {usage}

Example:
  gh-dose start --indication turner --weight-kg 24

{all-args}{after-help}";

/// The exit codes of the command-line contract.
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  a recommendation was produced (it may carry warnings)
  1  internal error (a bug), or the output could not be written
  2  invalid command line or input value
  3  invalid rule, product or reference file (file:line:col)
  4  a block flag withheld the dose or stopped treatment
     (the output is still printed in full)";

pub(crate) const START: &str = "\
Examples:
  gh-dose start --indication turner --weight-kg 24
  gh-dose start --indication sga --weight-kg 18 --height-sds -3.2
  gh-dose start --indication ghd --weight-lb 55 --injections-per-week 6
  gh-dose start --indication adult-ghd --age-years 45 --sex female \\
      --oral-estrogen
  gh-dose start --indication turner --weight-kg 24 --product norditropin \\
      --supply-days 28
  gh-dose start --indication ghd --weight-kg 50 --product ngenla
  gh-dose start --indication adult-ghd --age-years 62 --product sogroya \\
      --switching-from-daily --region eu
  # withheld, exit 4:
  gh-dose start --indication pws --weight-kg 30 --condition pws-sleep-apnea
  gh-dose start --indication turner --weight-kg 24 --format json \\
      --as-of 2026-11-22

Exit codes:
  0  a recommendation was produced (it may carry warnings)
  2  invalid command line or input value
  3  invalid rule, product or reference file
  4  a block flag withheld the dose (the output is still printed in full)";

pub(crate) const TITRATE: &str = "\
Examples:
  # adult, IGF-1 below the target band 6 weeks after the last change
  gh-dose titrate --indication adult-ghd --age-years 45 \\
      --current-mg-per-day 0.3 --igf1-sds -1.5 --igf1-date 2026-11-20 \\
      --last-dose-change 2026-10-09 --as-of 2026-11-22
  # child who grew: same mg/kg/week on the new weight
  gh-dose titrate --indication ghd --weight-kg 28 --previous-weight-kg 25 \\
      --current-mg-per-week 6
  # child with IGF-1 above +2 on a product: 15 % less, rounded to the pen
  gh-dose titrate --indication ghd --weight-kg 30 --current-mg-per-week 7.2 \\
      --igf1-sds 2.6 --product norditropin --supply-days 28
  # weekly product: the sample day after the injection matters
  gh-dose titrate --indication adult-ghd --age-years 50 --product sogroya \\
      --current-mg-per-week 1.5 --igf1-sds -0.8 --igf1-date 2026-11-20 \\
      --last-injection 2026-11-16
  # with the patient's visit record: the dose, last change, earlier height
  # and treatment start come from it; this visit is appended
  gh-dose titrate --record p-0042.jsonl --weight-kg 28 --height-cm 125 \\
      --igf1-sds 1.0

Exit codes:
  0  a recommendation was produced (it may carry warnings)
  2  invalid command line or input value
  3  invalid rule, product or reference file
  4  a block flag stopped treatment (the output is still printed in full)";

pub(crate) const INDICATIONS: &str = "\
Examples:
  gh-dose indications
  gh-dose indications --format json \\
      | jq '.indications[] | {id, mg_per_kg_per_week}'
  gh-dose indications --rules clinic.toml";

pub(crate) const PRODUCTS: &str = "\
Examples:
  gh-dose products
  gh-dose products --format json \\
      | jq '.products[] | {id, devices: [.devices[].id]}'";

pub(crate) const RULES: &str = "\
Examples:
  gh-dose rules show > clinic.toml
  gh-dose rules show products > formulary.toml
  gh-dose rules check clinic.toml     # exit 3 with file:line:col on a problem";

pub(crate) const BATCH: &str = "\
Examples:
  gh-dose batch requests.jsonl > results.jsonl
  cat requests.jsonl | gh-dose batch --as-of 2026-11-22 \\
      | jq -c 'select(.error)'
  gh-dose batch --input-format csv visits.csv

Each input line is one JSON object: \"command\" (start or titrate) and the
flags' names in snake_case, e.g.
  {\"command\":\"start\",\"indication\":\"turner\",\"weight_kg\":24}
Each output line is the JSON document for that line, in the same order, or
  {\"line\": N, \"error\": {\"code\": 2, \"field\": \"weight_kg\", \"message\": \"...\"}}
for a line that failed; processing goes on. A blank line, a line over
1 MiB and a field given twice are such failures. CSV input has a header row
of field names (each once); list fields (condition, symptom) separate
values with ';'; a quoted cell cannot span lines. A relative igf1_reference
is read from the batch file's directory (from the current one for stdin).
A line may name a visit record (\"record\": \"p-0042.jsonl\") only when the
batch is given --records-dir DIR: a plain file name inside DIR.

Exit codes:
  0  every line produced a recommendation (withheld ones included)
  1  the output could not be written
  2  at least one line failed (its error object says why), or the input
     could not be read (one error on stderr)
  3  invalid rule or product file";

pub(crate) const SCHEMA: &str = "\
Examples:
  gh-dose schema > gh-dose.schema.json
  gh-dose schema growth > gh-dose-growth.schema.json
  gh-dose schema record > gh-dose-record.schema.json";

pub(crate) const GROWTH: &str = "\
Examples:
  gh-dose growth --sex female --birth-date 2016-03-14 --height-cm 121.4 --weight-kg 22.5
  gh-dose growth --indication turner --sex female --age-years 10 --height-cm 125 \\
      --previous-height-cm 121 --previous-height-date 2026-05-22
  gh-dose growth --sex male --age-years 9 --height-cm 124 --mother-height-cm 160 --father-height-cm 172
  gh-dose growth --sex male --age-years 9 --height-cm 124 --reference my-who-lms.toml";

pub(crate) const COMPLETIONS: &str = "\
Examples (each folder is made first: a fresh home has none of them):
  mkdir -p ~/.local/share/bash-completion/completions
  gh-dose completions bash > ~/.local/share/bash-completion/completions/gh-dose
  mkdir -p ~/.zfunc     # and in ~/.zshrc: fpath=(~/.zfunc $fpath)
  gh-dose completions zsh > ~/.zfunc/_gh-dose
  mkdir -p ~/.config/fish/completions
  gh-dose completions fish > ~/.config/fish/completions/gh-dose.fish";

pub(crate) const RECORD: &str = "\
Examples:
  gh-dose start --indication turner --sex female --birth-date 2018-03-01 \\
      --weight-kg 24 --height-cm 118 --product norditropin --record p-0042.jsonl
  gh-dose record show p-0042.jsonl
  gh-dose record check p-0042.jsonl && echo valid

A record is one patient's visits, one JSON line each (docs/record.md);
start and titrate --record append to it, titrate --record reads it first.

Exit codes:
  0  shown or valid
  2  a bad argument
  3  the record is not valid (file:line:col), or cannot be read";

pub(crate) const RECORD_SUMMARY: &str = "\
Examples:
  gh-dose record summary p-0042.jsonl -o visit.html --label P-0042

One self-contained page (no script, nothing fetched): print it or save it as PDF
(A4 or Letter). The same record gives the same bytes. -o writes a new file or
replaces a visit summary gh-dose wrote, never the record (--force for other files).

Exit codes:
  0  the summary was written
  1  the summary could not be written
  2  a bad argument, or nothing to summarise
  3  the record is not valid (file:line:col), or cannot be read";

pub(crate) const CHART: &str = "\
Examples:
  gh-dose chart growth p-0042.jsonl -o growth.svg \\
      --father-height-cm 178 --mother-height-cm 163
  gh-dose chart titration p-0042.jsonl -o titration.svg --label P-0042

The same record gives the same bytes. The SVG opens in any browser.
A growth chart is for children: an adult's record is refused (exit 2).

Exit codes:
  0  the chart was written
  1  the chart could not be written
  2  a bad argument, or nothing to draw
  3  the record is not valid (file:line:col), or cannot be read";

pub(crate) const MAN: &str = "\
Examples:
  gh-dose man > gh-dose.1 && man ./gh-dose.1
  mkdir -p ~/.local/share/man/man1
  gh-dose man > ~/.local/share/man/man1/gh-dose.1";

/// `serve`.
pub(crate) const SERVE: &str = "\
Examples:
  gh-dose serve --jwks ehr-keys.json --issuer https://ehr.example.org \\
      --public-url https://cds.example.org --audit cds-audit.jsonl
  gh-dose serve --no-auth                 # a demo on 127.0.0.1:8080 only

Endpoints: GET /cds-services (discovery), POST /cds-services/{id} (cards),
POST /cds-services/{id}/feedback. Every request needs a bearer JWT (ES384 or
RS384) whose aud is --public-url plus the path. Plain HTTP: terminate HTTPS in
a reverse proxy. SIGTERM or ctrl-c stop it after the requests in flight.
See docs/cds-hooks.md.";

/// The command with each value's allowed range appended to its help
/// (`Body weight in kg [0.5-250 kg]`); the ranges come from the rule set in
/// use, so the help never disagrees with the refusal.
pub(crate) fn with_ranges(mut cmd: clap::Command, ranges: &[(&str, String)]) -> clap::Command {
    for sub in ["start", "titrate"] {
        cmd = cmd.mut_subcommand(sub, |mut c| {
            for (id, range) in ranges {
                if c.get_arguments().any(|a| a.get_id() == id) {
                    c = c.mut_arg(*id, |a| {
                        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                        a.help(format!("{help} [{range}]"))
                    });
                }
            }
            c
        });
    }
    cmd
}

#[cfg(test)]
mod tests;
