use super::*;

fn refused(path: &Path) -> String {
    match read_reference(path) {
        Err(e @ Error::Reference { .. }) => {
            assert_eq!(e.exit_code().code(), 3);
            e.to_string()
        }
        Err(e) => panic!("{path:?}: wrong error {e}"),
        Ok(_) => panic!("{path:?} was read"),
    }
}

#[test]
fn only_regular_files_of_a_sane_size_are_references() {
    let dir = std::env::temp_dir();
    let e = refused(&dir);
    assert!(e.contains("a directory, not a regular file"), "{e}");
    assert!(e.starts_with(&dir.display().to_string()), "{e}");
    #[cfg(unix)]
    {
        for dev in ["/dev/zero", "/dev/null"] {
            let e = refused(Path::new(dev));
            assert!(e.contains("a character device"), "{e}");
        }
    }
    let big = tempfile::NamedTempFile::new().unwrap();
    big.as_file().set_len(MAX_REFERENCE_BYTES + 1).unwrap();
    let e = refused(big.path());
    assert!(e.contains("larger than 10 MiB"), "{e}");
    let e = refused(Path::new("/no/such/reference.toml"));
    assert!(e.starts_with("/no/such/reference.toml: cannot use"), "{e}");
}

#[test]
fn a_reference_file_is_read_whole() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/igf1-lms-synthetic.toml");
    let (text, name) = read_reference(&path).unwrap();
    assert!(text.contains("igf1-lms"));
    assert_eq!(name, path.display().to_string());
}
