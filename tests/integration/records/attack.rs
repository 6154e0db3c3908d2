//! The record under attack (issue 18, "Done when"): many processes starting
//! one new record at once, processes killed with SIGKILL in the middle of an
//! append, a `--records-dir` entry swapped between a file and a symbolic
//! link while a batch writes to it, and answers that cannot be written.
//! Every earlier visit stays intact and no visit answered with exit 0 is
//! missing. Bounded in count and time; local files only.

use super::{count, first_two, lines, why};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The binary as a plain process, quiet unless the test reads its streams.
fn bin(args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("gh-dose"));
    c.env("GH_DOSE_TODAY", "2027-12-31")
        .env_remove("GH_DOSE_RULES")
        .env_remove("GH_DOSE_PRODUCTS")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn start_args(record: &str, weight: &'static str) -> Vec<String> {
    [
        "start",
        "--indication",
        "turner",
        "--sex",
        "female",
        "--birth-date",
        "2018-03-01",
        "--weight-kg",
        weight,
        "--height-cm",
        "118",
        "--product",
        "norditropin",
        "--as-of",
        "2026-01-10",
        "--format",
        "json",
        "--record",
        record,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn spawn(args: &[String]) -> Child {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    bin(&args).spawn().unwrap()
}

/// `record check FILE`: (exit code, stderr).
fn check(path: &Path) -> (i32, String) {
    let out = bin(&["record", "check", path.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_hundred_starts_at_once_on_a_new_record_leave_one_visit_and_lose_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("new.jsonl");
    let r = rec.to_str().unwrap();
    // Three in four give the same request (one is recorded, the others
    // print it again); one in four gives another weight (recorded if it is
    // first, refused otherwise: a dose was given).
    let children: Vec<(&str, Child)> = (0..100)
        .map(|i| {
            let w = if i % 4 == 3 { "25" } else { "24" };
            (w, spawn(&start_args(r, w)))
        })
        .collect();
    let mut answered = Vec::new();
    let mut refused = 0;
    for (w, c) in children {
        let out = c.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["recommendation"]["action"], "start", "{v}");
                answered.push((w, v));
            }
            Some(2) => {
                assert!(out.stdout.is_empty());
                assert_eq!(err.lines().count(), 1, "{err}");
                assert!(err.contains(r), "{err}");
                refused += 1;
            }
            other => panic!("{other:?}: {err}"),
        }
    }
    let all = lines(&rec);
    assert_eq!(all.len(), 1, "exactly one visit");
    let kept = all[0]["measurements"]["weight_kg"].as_f64().unwrap();
    let kept = if kept == 24.0 { "24" } else { "25" };
    // Every answered start is the recorded visit: printed first, or again.
    assert_eq!(answered.len() + refused, 100);
    let fresh = answered
        .iter()
        .filter(|(_, v)| !why(v).starts_with("this visit is already in the record"))
        .count();
    assert_eq!(
        fresh, 1,
        "one start recorded it, the others printed it again"
    );
    for (w, v) in &answered {
        assert_eq!(*w, kept, "an exit-0 start whose visit is not the record's");
        assert_eq!(
            v["recommendation"]["dose"]["deliverable"]["mg_per_week"],
            all[0]["dose"]["mg_per_week"]
        );
    }
    assert_eq!(refused, if kept == "24" { 25 } else { 75 });
    assert_eq!(check(&rec), (0, String::new()));
    // Nothing else is left in the folder (no temporary file).
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["new.jsonl"]);
}

/// The whole lines of a record and its cut last line, if any.
fn split_whole(bytes: &[u8]) -> (usize, Option<&[u8]>) {
    let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let tail = &bytes[whole..];
    (whole, (!tail.is_empty()).then_some(tail))
}

/// After a round of killed writers: the earlier bytes unchanged, every line
/// after them a whole visit (or a last line cut short, which `record check`
/// reports at its position and which is then removed, as the message
/// says); returns the record's bytes for the next round.
fn intact_after_kills(rec: &Path, before: &[u8]) -> Vec<u8> {
    let now = std::fs::read(rec).unwrap();
    assert!(now.starts_with(before), "an earlier visit was changed");
    let (whole, cut) = split_whole(&now);
    for line in now[before.len()..whole].split(|&b| b == b'\n') {
        if !line.is_empty() {
            let v: Value = serde_json::from_slice(line).unwrap();
            assert_eq!(v["record"], "gh-dose-visit", "{v}");
        }
    }
    let (code, err) = check(rec);
    match cut {
        None => assert_eq!(code, 0, "{err}"),
        Some(_) => {
            let n = now[..whole].iter().filter(|&&b| b == b'\n').count() + 1;
            let name = rec.to_str().unwrap();
            assert_eq!(code, 3, "{err}");
            assert!(
                err.contains(&format!("{name}:{n}:1: line {n} is cut short")),
                "{err}"
            );
            std::fs::write(rec, &now[..whole]).unwrap();
        }
    }
    std::fs::read(rec).unwrap()
}

#[cfg(unix)]
#[test]
fn writers_killed_during_an_append_lose_no_earlier_visit() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap().to_string();
    let mut before = std::fs::read(&rec).unwrap();
    let day0 = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
    // Titrations on one record, four at a time, each killed after a delay
    // that moves by 1.2 ms from round to round across a writer's life.
    let mut survived = Vec::new();
    for round in 0..30u64 {
        let children: Vec<(String, Child)> = (0..4u64)
            .map(|k| {
                let day = (day0 + chrono::Days::new(round * 4 + k)).to_string();
                let args = [
                    "titrate",
                    "--weight-kg",
                    "26.5",
                    "--as-of",
                    &day,
                    "--format",
                    "json",
                    "--record",
                    &r,
                ];
                (day.clone(), bin(&args).spawn().unwrap())
            })
            .collect();
        for (k, (day, mut c)) in children.into_iter().enumerate() {
            let k = u64::try_from(k).unwrap();
            std::thread::sleep(Duration::from_micros(round * 1200 + k * 150));
            let _ = c.kill();
            let out = c.wait_with_output().unwrap();
            if out.status.code() == Some(0) {
                survived.push(day);
            }
        }
        before = intact_after_kills(&rec, &before);
    }
    // Every titration that answered with exit 0 is in the record.
    let dates: Vec<String> = lines(&rec)
        .iter()
        .map(|v| v["date"].as_str().unwrap().to_string())
        .collect();
    for day in &survived {
        assert!(dates.contains(day), "{day} answered but not recorded");
    }
    // The record still takes a visit.
    let out = bin(&[
        "titrate",
        "--weight-kg",
        "27",
        "--as-of",
        "2027-06-01",
        "--record",
        &r,
    ])
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Starts on new records, killed the same way: a record is there whole
    // with its one visit, or not at all.
    for round in 0..25u64 {
        let new = dir.path().join(format!("new-{round}.jsonl"));
        let args = start_args(new.to_str().unwrap(), "24");
        let children: Vec<Child> = (0..3).map(|_| spawn(&args)).collect();
        let mut ok = 0;
        for (k, mut c) in children.into_iter().enumerate() {
            let k = u64::try_from(k).unwrap();
            std::thread::sleep(Duration::from_micros(round * 1500 + k * 200));
            let _ = c.kill();
            ok += usize::from(c.wait().unwrap().success());
        }
        if new.exists() {
            assert_eq!(count(&new), 1, "{}", new.display());
            intact_after_kills(&new, b"");
        } else {
            assert_eq!(ok, 0, "a start answered but its record is missing");
        }
    }
}

/// Swaps `dir/p.jsonl` between a new empty regular file and a symbolic
/// link to `outside` until `stop`; every regular file it replaces is kept
/// under `kept` first (a second name), so every visit written can be
/// counted. Returns the number of swaps.
fn swapper(
    dir: PathBuf,
    kept: PathBuf,
    outside: PathBuf,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let rec = dir.join("p.jsonl");
        let mut n = 0u64;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            // The regular file in place goes to the kept folder too, then a
            // link replaces it in one rename.
            std::fs::hard_link(&rec, kept.join(format!("gen-{n}.jsonl"))).unwrap();
            let link = dir.join(".link");
            std::os::unix::fs::symlink(&outside, &link).unwrap();
            std::fs::rename(&link, &rec).unwrap();
            std::thread::sleep(Duration::from_micros(100));
            // A new empty record replaces the link.
            let reg = dir.join(".reg");
            std::fs::write(&reg, "").unwrap();
            std::fs::rename(&reg, &rec).unwrap();
            std::thread::sleep(Duration::from_micros(2000));
            n += 1;
        }
        n
    })
}

#[cfg(unix)]
#[test]
fn a_records_dir_entry_swapped_with_a_link_never_leads_a_write_outside() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    let kept = dir.path().join("kept");
    let elsewhere = dir.path().join("elsewhere");
    for d in [&records, &kept, &elsewhere] {
        std::fs::create_dir(d).unwrap();
    }
    // An empty record outside: a start that followed the link would write
    // its first visit there.
    let outside = elsewhere.join("other-patient.jsonl");
    std::fs::write(&outside, "").unwrap();
    std::fs::write(records.join("p.jsonl"), "").unwrap();
    let line = "{\"command\":\"start\",\"indication\":\"turner\",\"sex\":\"female\",\"birth_date\":\"2018-03-01\",\"weight_kg\":24,\"as_of\":\"2026-01-10\",\"record\":\"p.jsonl\"}\n";
    let batch = dir.path().join("visits.jsonl");
    std::fs::write(&batch, line.repeat(150)).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swaps = swapper(records.clone(), kept.clone(), outside.clone(), stop.clone());
    // Each batch writes to a file: a batch holds a record's lock while it
    // writes the answer, so an unread pipe would hold up the other.
    let runs: Vec<(PathBuf, Child)> = (0..2)
        .map(|i| {
            let out = dir.path().join(format!("out-{i}.jsonl"));
            let child = bin(&[
                "batch",
                batch.to_str().unwrap(),
                "--records-dir",
                records.to_str().unwrap(),
            ])
            .stdout(std::fs::File::create(&out).unwrap())
            .spawn()
            .unwrap();
            (out, child)
        })
        .collect();
    let outs: Vec<(String, std::process::Output)> = runs
        .into_iter()
        .map(|(path, c)| {
            let out = c.wait_with_output().unwrap();
            (std::fs::read_to_string(path).unwrap(), out)
        })
        .collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let swaps = swaps.join().unwrap();
    assert!(swaps > 5, "the race ran ({swaps} swaps)");
    // The file outside was never written, nor given another name.
    assert_eq!(std::fs::read(&outside).unwrap(), b"");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&outside).unwrap().nlink(), 1);
    }
    // Each line: a visit recorded, printed again, or refused naming the
    // record; never anything else.
    let (mut recorded, mut again, mut refused) = (0, 0, 0);
    for (text, out) in &outs {
        assert_eq!(
            text.lines().count(),
            150,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for l in text.lines() {
            let v: Value = serde_json::from_str(l).unwrap();
            if let Some(e) = v.get("error") {
                // A record file that is not one: exit 3, the record named.
                assert_eq!(e["code"], 3, "{v}");
                assert_eq!(e["field"], "record", "{v}");
                let m = e["message"].as_str().unwrap();
                assert!(
                    m.starts_with(&format!("{}: ", records.join("p.jsonl").display())),
                    "{m}"
                );
                assert!(
                    m.ends_with("is a symbolic link: records in --records-dir are plain files")
                        || m.contains("has 2 names (hard links)"),
                    "{m}"
                );
                refused += 1;
            } else if why(&v).starts_with("this visit is already in the record") {
                let named = records.join("p.jsonl");
                assert!(
                    why(&v).contains(&format!("record {} (line 1)", named.display())),
                    "{}",
                    why(&v)
                );
                again += 1;
            } else {
                assert_eq!(v["recommendation"]["action"], "start", "{v}");
                recorded += 1;
            }
        }
    }
    assert!(refused > 0, "the link was met");
    // Every recorded visit is in one of the regular files the name held:
    // one visit each, as many as were answered as recorded.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let current = records.join("p.jsonl");
    if std::fs::symlink_metadata(&current).unwrap().is_file() {
        files.push(current);
    }
    let mut visits = 0;
    for f in &files {
        let n = count(f);
        assert!(n <= 1, "{}: {n} visits", f.display());
        visits += n;
    }
    // Generations kept twice (a kept name of the file now in place) are
    // counted once: compare by content of distinct inodes.
    let mut seen = std::collections::HashSet::new();
    let mut distinct = 0;
    for f in &files {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(f).unwrap();
        if seen.insert((m.dev(), m.ino())) {
            distinct += count(f);
        }
    }
    assert!(distinct <= visits);
    assert_eq!(
        distinct, recorded,
        "recorded {recorded}, again {again}, refused {refused}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn no_answer_written_no_visit_appended_for_start_titrate_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    let rec = first_two(dir.path());
    let r = rec.to_str().unwrap();
    // A record begun empty (a patient already on treatment).
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let before = std::fs::read(&rec).unwrap();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let start = start_args(empty.to_str().unwrap(), "24");
    let start: Vec<&str> = start.iter().map(String::as_str).collect();
    let titrate = [
        "titrate",
        "--weight-kg",
        "27",
        "--as-of",
        "2026-10-10",
        "--record",
        r,
    ];
    let line = |command: &str, record: &str| {
        format!(
            "{{\"command\":\"{command}\",\"indication\":\"turner\",\"sex\":\"female\",\"birth_date\":\"2018-03-01\",\"weight_kg\":27,\"as_of\":\"2026-10-10\",\"record\":\"{record}\"}}\n"
        )
    };
    let batch = dir.path().join("visits.jsonl");
    std::fs::write(
        &batch,
        format!(
            "{}{}",
            line("titrate", "p-0042.jsonl"),
            line("start", "empty.jsonl")
        ),
    )
    .unwrap();
    let b = batch.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        &start[..],
        &titrate[..],
        &["batch", b, "--records-dir", d][..],
    ] {
        let out = bin(args).stdout(full()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.starts_with("error: cannot write output: "), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(std::fs::read(&rec).unwrap(), before, "{args:?}");
        assert_eq!(std::fs::read(&empty).unwrap(), b"", "{args:?}");
    }
    // Written to a real stream, the batch records both.
    let out = bin(&["batch", b, "--records-dir", d]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(count(&rec), 3);
    assert_eq!(count(&empty), 1);
}
