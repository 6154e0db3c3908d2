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

/// The module a source file is (`src/dosing/guard/mod.rs` -> `dosing::guard`,
/// `src/dosing/start.rs` -> `dosing::start`; `lib.rs` is the crate root).
fn module_path(file: &str) -> Vec<String> {
    let rel = file.strip_prefix("src/").unwrap_or(file);
    let mut segs: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(
        segs.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segs.pop();
    }
    segs
}

/// The paths a `{a, b::{c, d}}` group names after `prefix`.
fn expand(prefix: &str, group: &str, out: &mut Vec<String>) {
    let mut depth = 0;
    let mut part = String::new();
    let mut parts = Vec::new();
    for ch in group.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut part));
                continue;
            }
            _ => {}
        }
        part.push(ch);
    }
    parts.push(part);
    for part in parts {
        let part = part.split(" as ").next().unwrap_or("").trim();
        if part.is_empty() || part == "self" || part == "*" {
            continue;
        }
        if let Some(i) = part.find('{') {
            let inner = &part[i + 1..part.rfind('}').unwrap_or(part.len())];
            expand(&format!("{prefix}{}", &part[..i]), inner, out);
        } else {
            out.push(format!("{prefix}{part}"));
        }
    }
}

/// Every path of a file's code that starts at the crate (`crate::`) or at
/// the file's own module (`super::`, `self::`), resolved from the crate root
/// (`dosing::patient::Findings`), groups expanded, across lines. An inline
/// `mod x {` (a test module) is taken to run to the end of the file.
fn resolved_paths(file: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut module = module_path(file);
    let mut code = String::new();
    for line in text.lines() {
        let line = line.find("//").map_or(line, |i| &line[..i]);
        let head = line.trim_start();
        let head = head.strip_prefix("pub(crate) ").unwrap_or(head);
        let head = head.strip_prefix("pub(super) ").unwrap_or(head);
        if let Some(name) = head.strip_prefix("mod ").and_then(|n| n.strip_suffix(" {")) {
            // Paths so far were the file's; the rest are the inline module's.
            out.extend(paths_from(&module, &code));
            code.clear();
            module.push(name.to_string());
        }
        code.push_str(line);
        code.push('\n');
    }
    out.extend(paths_from(&module, &code));
    out
}

fn paths_from(module: &[String], code: &str) -> Vec<String> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    // The modules this code declares (`mod dates;`): `dates::x` starts here.
    let mut heads: Vec<String> = ["crate::", "super::", "self::"].map(String::from).to_vec();
    for line in code.lines() {
        let line = line.trim();
        if let Some(i) = line.find("mod ")
            && let Some(kid) = line[i + 4..].strip_suffix(';')
            && (i == 0 || line.starts_with("pub"))
        {
            heads.push(format!("{kid}::"));
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let starts = heads.iter().any(|h| rest.starts_with(h.as_str()));
        let after_word = code[..i].chars().next_back().is_some_and(word);
        if !starts || after_word || code[..i].ends_with("::") {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let len = rest
            .find(|c: char| !(word(c) || c == ':'))
            .unwrap_or(rest.len());
        let path = &rest[..len];
        // From where the path starts: the crate root or this module.
        let mut base: Vec<String> = module.to_vec();
        let mut segs = path.split("::").peekable();
        match segs.peek() {
            Some(&"crate") => {
                base.clear();
                segs.next();
            }
            Some(&"self") => {
                segs.next();
            }
            Some(kid) if *kid != "super" => {}
            _ => {
                while segs.peek() == Some(&"super") {
                    base.pop();
                    segs.next();
                }
            }
        }
        let named: Vec<&str> = segs.filter(|s| !s.is_empty()).collect();
        let prefix: String = base
            .iter()
            .map(String::as_str)
            .chain(named.iter().copied())
            .map(|s| format!("{s}::"))
            .collect();
        let tail = &rest[len..];
        if path.ends_with("::") && tail.starts_with('{') {
            let mut depth = 0;
            let close = tail
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(tail.len(), |(j, _)| j);
            expand(&prefix, &tail[1..close], &mut out);
            i += close;
        } else if !prefix.is_empty() {
            out.push(prefix.trim_end_matches("::").to_string());
        }
        i += len.max(1);
    }
    out
}

/// Whether a folder's face re-exports an item named `name` (a function may
/// share its name with the private file that defines it, as `record::fill`).
fn face_offers(dir: &Path, name: &str) -> bool {
    let Ok(face) = std::fs::read_to_string(dir.join("mod.rs")) else {
        return false;
    };
    face.split(';')
        .filter(|stmt| stmt.contains("use "))
        .any(|stmt| {
            stmt.match_indices(name).any(|(i, _)| {
                // A whole word, not a module on the way (`fill::`) nor a
                // name renamed (`check as dates_check`).
                let before = stmt[..i].chars().next_back();
                let after = &stmt[i + name.len()..];
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
                    && !after.starts_with(" as ")
            })
        })
}

/// What a path (from the crate root) names, walked on disk from a source
/// file: `Err(file)` when it reaches into a file module of a folder the
/// source file is not inside (a folder's own files, and those of the folders
/// around it, are its to use; every other folder is seen only through its
/// `mod.rs`).
fn through_faces(src: &Path, from: &Path, path: &str) -> Result<(), String> {
    let mut dir = src.to_path_buf();
    let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    for (k, seg) in segs.iter().enumerate() {
        if *seg == "self" || *seg == "super" {
            return Ok(());
        }
        if dir.join(seg).join("mod.rs").is_file() {
            dir.push(seg);
        } else if dir.join(format!("{seg}.rs")).is_file() {
            let last = k + 1 == segs.len();
            if from.starts_with(&dir) || (last && face_offers(&dir, seg)) {
                return Ok(());
            }
            return Err(format!("{}/{seg}.rs", dir.display()));
        } else {
            return Ok(()); // an item of the face
        }
    }
    Ok(())
}

/// The paths that reach past a folder's face: (file, path, the file reached).
fn past_faces(src: &Path, sources: &[(String, String, String)]) -> Vec<String> {
    let root = src.parent().expect("the crate's root");
    let mut bad = Vec::new();
    for (file, _, text) in sources {
        let from = root.join(file);
        for p in resolved_paths(file, text) {
            if let Err(reached) = through_faces(src, &from, &p) {
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
    let from =
        |file: &str, text: &str| past_faces(&src(), &[(file.into(), String::new(), text.into())]);
    let one = |text: &str| from("src/app/x.rs", text);
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

#[test]
fn a_dosing_stage_reaches_another_only_through_its_face() {
    let from =
        |file: &str, text: &str| past_faces(&src(), &[(file.into(), String::new(), text.into())]);
    // From one stage folder into a file of another: by `crate::`, by
    // `super::`, inside a group spread over lines, inline.
    assert_eq!(
        from(
            "src/dosing/guard/x.rs",
            "use crate::dosing::device::product::OnProduct;"
        ),
        [
            "src/dosing/guard/x.rs: crate::dosing::device::product::OnProduct reaches src/dosing/device/product.rs past its folder's face"
        ]
    );
    assert_eq!(
        from(
            "src/dosing/regimen/weight_based/x.rs",
            "use super::super::super::patient::{\n    Patient,\n    findings::Findings,\n};"
        ),
        [
            "src/dosing/regimen/weight_based/x.rs: crate::dosing::patient::findings::Findings reaches src/dosing/patient/findings.rs past its folder's face"
        ]
    );
    assert_eq!(
        from(
            "src/dosing/start.rs",
            "fn f() { super::guard::restart::lower(); super::patient::course::start(); }"
        )
        .len(),
        2
    );
    assert_eq!(
        from(
            "src/dosing/mod.rs",
            "mod patient;\npub(crate) use patient::fmt_num;\npub(crate) use patient::echo::PatientEcho;\npub(crate) use self::patient::stature::Stature;"
        ),
        [
            "src/dosing/mod.rs: crate::dosing::patient::echo::PatientEcho reaches src/dosing/patient/echo.rs past its folder's face",
            "src/dosing/mod.rs: crate::dosing::patient::stature::Stature reaches src/dosing/patient/stature.rs past its folder's face"
        ]
    );
    // A test module inside a stage folder is held to the same faces.
    assert_eq!(
        from(
            "src/dosing/guard/limits/tests.rs",
            "use super::*;\nuse crate::dosing::device::product::OnProduct;"
        )
        .len(),
        1
    );
    // Through the faces, or between a folder's own files, it passes.
    assert!(
        from(
            "src/dosing/guard/x.rs",
            "use crate::dosing::device::{OnProduct, Target};\nuse super::limits::limit;\nuse super::super::patient::{Findings, dates_review};"
        )
        .is_empty()
    );
    assert!(
        from(
            "src/dosing/patient/echo/tests.rs",
            "use crate::dosing::patient::findings::VisitEcho;"
        )
        .is_empty()
    );
    assert!(from("src/dosing/start.rs", "use super::proposal::{Ctx, Kind};").is_empty());
}

/// The lines of a face that declare a file module visible (a folder's files
/// are private; what they offer is re-exported by name).
fn open_files(dir: &Path, face: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for line in face.lines().map(str::trim) {
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
            bad.push(line.to_string());
        }
    }
    bad
}

#[test]
fn a_face_declares_only_its_sub_folders_visible() {
    let root = src();
    let mut faces = Vec::new();
    files(&root, &mut faces);
    let mut bad = Vec::new();
    let mut folders = Vec::new();
    for face in faces.iter().filter(|f| f.ends_with("mod.rs")) {
        let dir = face.parent().expect("a folder");
        let rel = dir.strip_prefix(&root).expect("under src").display();
        folders.push(rel.to_string());
        let text = std::fs::read_to_string(face).expect("read a face");
        for line in open_files(dir, &text) {
            bad.push(format!(
                "src/{rel}/mod.rs: `{line}` opens a file; re-export its items instead"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Every folder is held to it, the dosing stages' too.
    for stage in ["patient", "device", "guard", "regimen"] {
        assert!(folders.contains(&format!("dosing/{stage}")), "{folders:?}");
    }
    // A stage face that opens a file fails; a sub-folder may stay visible.
    let patient = root.join("dosing/patient");
    assert_eq!(
        open_files(&patient, "pub(crate) mod course;\nmod dates;"),
        ["pub(crate) mod course;"]
    );
    let regimen = root.join("dosing/regimen");
    assert_eq!(
        open_files(
            &regimen,
            "pub(super) mod weekly_adult;\npub(super) mod weight_based;"
        ),
        ["pub(super) mod weekly_adult;"]
    );
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
