//! Citations: the source register of a table and the sources and grade
//! every rule row carries, each source id checked against the register.

use super::file;
use super::model::{Cited, Source};
use super::spanned::Spanned;
use crate::diagnostic::{Cx, R};
use crate::vocab::Grade;
use std::collections::{BTreeSet, HashSet};

/// Resolves a row's source ids and grade.
pub(crate) type Cite<'a> = dyn Fn(&Spanned<Vec<String>>, &Spanned<String>) -> R<Cited> + 'a;

/// The source register: ids unique and non-empty.
pub(crate) fn compile_sources(cx: &Cx, rows: &[file::SourceRow]) -> R<Vec<Source>> {
    let mut out: Vec<Source> = Vec::with_capacity(rows.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(rows.len());
    for row in rows {
        let id = row.id.get_ref();
        if id.trim().is_empty() {
            return Err(cx.err(&row.id.span(), "source id is empty"));
        }
        if !seen.insert(id) {
            return Err(cx.err(&row.id.span(), format!("duplicate source id '{id}'")));
        }
        out.push(Source {
            id: id.clone(),
            citation: row.citation.clone(),
            url: row.url.clone(),
            grade: grade(cx, &row.grade)?,
        });
    }
    Ok(out)
}

fn grade(cx: &Cx, g: &Spanned<String>) -> R<Grade> {
    g.get_ref()
        .parse()
        .map_err(|e: String| cx.err(&g.span(), format!("grade '{}': {e}", g.get_ref())))
}

/// A row's sources (each in the register) and grade.
pub(crate) fn cited(
    cx: &Cx,
    sources: &Spanned<Vec<String>>,
    g: &Spanned<String>,
    ids: &BTreeSet<&str>,
) -> R<Cited> {
    if sources.get_ref().is_empty() {
        return Err(cx.err(&sources.span(), "every rule row needs at least one source"));
    }
    for s in sources.get_ref() {
        if !ids.contains(s.as_str()) {
            return Err(cx.err(
                &sources.span(),
                format!("unknown source '{s}' (add it to [[sources]])"),
            ));
        }
    }
    Ok(Cited {
        sources: sources.get_ref().clone(),
        grade: grade(cx, g)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Cx<'static> {
        Cx {
            path: "t.toml",
            text: "",
        }
    }

    fn spanned<T>(v: T) -> Spanned<T> {
        Spanned::new(0..0, v)
    }

    #[test]
    fn a_row_cites_known_sources_with_a_grade() {
        let ids: BTreeSet<&str> = ["a", "b"].into();
        let c = cited(
            &cx(),
            &spanned(vec!["b".to_string()]),
            &spanned("G".to_string()),
            &ids,
        )
        .unwrap();
        assert_eq!(c.sources, ["b"]);
        assert_eq!(c.grade, Grade::G);
        let e = cited(
            &cx(),
            &spanned(vec!["z".to_string()]),
            &spanned("G".to_string()),
            &ids,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown source 'z'"), "{e}");
        let e = cited(&cx(), &spanned(Vec::new()), &spanned("G".to_string()), &ids).unwrap_err();
        assert!(e.to_string().contains("at least one source"), "{e}");
        let e = cited(
            &cx(),
            &spanned(vec!["a".to_string()]),
            &spanned("Q".to_string()),
            &ids,
        )
        .unwrap_err();
        assert!(e.to_string().contains("grade 'Q'"), "{e}");
    }
}
