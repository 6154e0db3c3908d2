//! The layer table of `docs/ARCHITECTURE.md` is the law of imports: every
//! `crate::` path in a source file (its `use` lines and paths in code) is
//! checked against the row of the file's layer, so the table and the code
//! cannot drift apart. No two top-level modules import each other. Every
//! folder has one face, its `mod.rs`: a path from outside a folder passes
//! only through folders' faces, never into a file of theirs, and a face
//! declares only its sub-folders visible (its files are private and what
//! they offer is re-exported by name).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One row: the modules it owns and what they may import (path prefixes
/// such as `rules` or `dosing::patient::stature`; `*` for everything).
#[derive(Debug)]
struct Row {
    owns: Vec<String>,
    may: Vec<String>,
}

const GROUND: &str = "ground floor";

/// The table under "## Layers and what each may import".
fn table(doc: &str) -> Vec<Row> {
    let start = doc
        .find("## Layers and what each may import")
        .expect("the layer table's heading");
    let rows: Vec<&str> = doc[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect();
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(|t| t.trim_end_matches(".rs").trim_end_matches('/').to_string())
            .collect()
    };
    let ground: Vec<String> = ticked(rows[0].split('|').nth(1).expect("first cell"));
    rows.iter()
        .map(|r| {
            let cells: Vec<&str> = r.split('|').collect();
            let owns = ticked(cells[1]);
            let last = cells[cells.len() - 2];
            let mut may = Vec::new();
            if last.contains("everything") {
                may.push("*".to_string());
            }
            if last.contains(GROUND) {
                may.extend(ground.iter().cloned());
            }
            // A backticked path names an allowed import; parenthesised notes
            // after it say what of it is used.
            let mut depth = 0;
            let mut text = String::new();
            for ch in last.chars() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ if depth == 0 => text.push(ch),
                    _ => {}
                }
            }
            may.extend(ticked(&text));
            Row { owns, may }
        })
        .collect()
}

/// Every `crate::a::b::...` path in the code of a file (comments left out).
fn paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let tail = &rest[i + "crate::".len()..];
            // `use crate::{a, b::c}` lists several.
            if let Some(group) = tail.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let p: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    if !p.is_empty() {
                        out.push(p);
                    }
                }
            } else {
                let p: String = tail
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                out.push(p.trim_end_matches(':').to_string());
            }
            rest = tail;
        }
    }
    out
}

/// The top-level module of a source file (`src/dosing/x.rs` -> `dosing`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let m = first.trim_end_matches(".rs").to_string();
    (m != "lib" && m != "main").then_some(m)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The imports that break the table: (file, path, what the layer may import).
fn violations(rows: &[Row], sources: &[(String, String, String)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (file, module, text) in sources {
        let Some(row) = rows.iter().find(|r| r.owns.contains(module)) else {
            bad.push(format!(
                "{file}: module `{module}` is in no row of the layer table"
            ));
            continue;
        };
        if row.may.iter().any(|m| m == "*") {
            continue;
        }
        for p in paths(text) {
            let top = p.split("::").next().unwrap_or("");
            if top == module || top.is_empty() {
                continue;
            }
            let allowed = row
                .may
                .iter()
                .any(|m| p == *m || p.starts_with(&format!("{m}::")));
            if !allowed {
                bad.push(format!(
                    "{file}: crate::{p} (layer `{module}` may import: {})",
                    if row.may.is_empty() {
                        "nothing of the project".into()
                    } else {
                        row.may.join(", ")
                    }
                ));
            }
        }
    }
    bad
}

fn sources() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    all.sort();
    all.iter()
        .filter_map(|f| {
            let m = module_of(&src, f)?;
            let text = std::fs::read_to_string(f).ok()?;
            let name = f.strip_prefix(root).ok()?.display().to_string();
            Some((name, m, text))
        })
        .collect()
}

fn doc() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md"))
        .expect("docs/ARCHITECTURE.md")
}

#[test]
fn every_import_is_allowed_by_the_layer_table() {
    let rows = table(&doc());
    assert!(rows.len() >= 9, "{rows:?}");
    let bad = violations(&rows, &sources());
    assert!(
        bad.is_empty(),
        "imports the layer table forbids:\n{}",
        bad.join("\n")
    );
}

/// What a path names below its top module, walked on disk: `Err(file)`
/// when it reaches into a file module of another folder.
fn through_faces(src: &Path, path: &str) -> Result<(), String> {
    let mut dir = src.to_path_buf();
    let mut segs = path.split("::").filter(|s| !s.is_empty());
    let Some(top) = segs.next() else {
        return Ok(());
    };
    dir.push(top);
    if !dir.join("mod.rs").is_file() {
        return Ok(()); // a top-level file module is its own face
    }
    for seg in segs {
        if seg == "self" || seg == "super" {
            return Ok(());
        }
        if dir.join(seg).join("mod.rs").is_file() {
            dir.push(seg);
        } else if dir.join(format!("{seg}.rs")).is_file() {
            return Err(format!("{}/{seg}.rs", dir.display()));
        } else {
            return Ok(()); // an item of the face
        }
    }
    Ok(())
}

/// The paths that reach past a folder's face: (file, path, the file reached).
fn past_faces(src: &Path, sources: &[(String, String, String)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (file, module, text) in sources {
        for p in paths(text) {
            let top = p.split("::").next().unwrap_or("");
            if top == module || top.is_empty() {
                continue;
            }
            if let Err(reached) = through_faces(src, &p) {
                let reached = reached
                    .rsplit("src/")
                    .next()
                    .unwrap_or(&reached)
                    .to_string();
                bad.push(format!(
                    "{file}: crate::{p} reaches src/{reached} past its folder's face"
                ));
            }
        }
    }
    bad
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_folder_is_reached_through_its_face() {
    let bad = past_faces(&src(), &sources());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // A path into a file of another folder fails; through faces it passes.
    let one = |text: &str| {
        past_faces(
            &src(),
            &[("src/app/x.rs".into(), "app".into(), text.into())],
        )
    };
    assert_eq!(
        one("use crate::record::fill::Given;"),
        [
            "src/app/x.rs: crate::record::fill::Given reaches src/record/fill.rs past its folder's face"
        ]
    );
    assert_eq!(
        one("fn f() { crate::dosing::patient::stature::height_reference(); }").len(),
        1
    );
    assert!(
        one("use crate::record::{Given, fill}; use crate::rules::products::Product;").is_empty()
    );
}

/// Folders whose faces still declare file modules visible to the rest of
/// their top-level module (their stages reach each other's files).
const FACES_PENDING: &[&str] = &[
    "dosing/patient",
    "dosing/device",
    "dosing/guard",
    "dosing/regimen",
];

#[test]
fn a_face_declares_only_its_sub_folders_visible() {
    let root = src();
    let mut faces = Vec::new();
    files(&root, &mut faces);
    let mut bad = Vec::new();
    for face in faces.iter().filter(|f| f.ends_with("mod.rs")) {
        let dir = face.parent().expect("a folder");
        let rel = dir
            .strip_prefix(&root)
            .expect("under src")
            .display()
            .to_string();
        if FACES_PENDING.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(face).expect("read a face");
        for line in text.lines().map(str::trim) {
            let Some(rest) = line.strip_prefix("pub") else {
                continue;
            };
            let Some(name) = rest
                .trim_start_matches("(crate)")
                .trim_start_matches("(super)")
                .trim()
                .strip_prefix("mod ")
                .and_then(|n| n.strip_suffix(';'))
            else {
                continue;
            };
            if !dir.join(name).join("mod.rs").is_file() {
                bad.push(format!(
                    "src/{rel}/mod.rs: `{line}` opens a file; re-export its items instead"
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_two_top_level_modules_import_each_other() {
    let mut arrows: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, module, text) in sources() {
        for p in paths(&text) {
            let top = p.split("::").next().unwrap_or("").to_string();
            if top != module && !top.is_empty() {
                arrows.entry(module.clone()).or_default().insert(top);
            }
        }
    }
    for (a, tos) in &arrows {
        for b in tos {
            assert!(
                !arrows.get(b).is_some_and(|back| back.contains(a)),
                "`{a}` and `{b}` import each other"
            );
        }
    }
}

#[test]
fn a_forbidden_import_fails_the_check() {
    let rows = table(&doc());
    let added = |file: &str, module: &str, text: &str| {
        violations(&rows, &[(file.into(), module.into(), text.into())])
    };
    // The core importing the record, the rules importing the core, the
    // ground floor importing anything, the chart reaching past stature.
    assert_eq!(
        added("src/dosing/x.rs", "dosing", "use crate::record::Course;"),
        [
            "src/dosing/x.rs: crate::record::Course (layer `dosing` may import: units, vocab, strict_json, lms, diagnostic, bands, rules, growth)"
        ]
    );
    assert_eq!(
        added(
            "src/rules/x.rs",
            "rules",
            "fn f() { crate::dosing::titrate(); }"
        )
        .len(),
        1
    );
    assert_eq!(
        added("src/units.rs", "units", "use crate::{vocab::Sex, rules};").len(),
        2
    );
    assert_eq!(
        added(
            "src/chart/x.rs",
            "chart",
            "use crate::dosing::guard::Guard;"
        )
        .len(),
        1
    );
    // What the table allows passes.
    assert!(
        added(
            "src/chart/x.rs",
            "chart",
            "use crate::dosing::height_reference;"
        )
        .is_empty()
    );
    assert!(
        added(
            "src/dosing/x.rs",
            "dosing",
            "use crate::rules::RuleSet; // crate::record in a comment"
        )
        .is_empty()
    );
    assert!(added("src/app/x.rs", "app", "use crate::record::read;").is_empty());
}
