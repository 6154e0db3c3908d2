//! Human text wrapped to a width: each line too long is broken at spaces,
//! its continuation lines indented under the value it belongs to (the
//! table's value column, a flag's message, a bullet's text). Colour escapes
//! take no columns and are never cut. The width is a parameter: the caller
//! passes the terminal's (`app::terminal`), tests any width.

/// The narrowest width the text is wrapped to: below it the value column
/// leaves no room, so a narrower terminal gets lines of this width.
pub(crate) const MIN_WIDTH: usize = 40;

/// Every line of `text` wrapped to `width` columns (at least [`MIN_WIDTH`]).
/// A word longer than the room left is cut, so no line is wider.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        wrap_line(&mut out, body, width);
        out.push_str(end);
    }
    out
}

/// One piece of a line: a visible character or a colour escape (no width).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Char(char),
    Escape(&'a str),
}

fn pieces(line: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte (a letter).
            let len = rest
                .char_indices()
                .skip(1)
                .find(|&(i, ch)| i > 1 && ch.is_ascii_alphabetic())
                .map_or(rest.len(), |(i, ch)| i + ch.len_utf8());
            out.push(Piece::Escape(&rest[..len]));
            rest = &rest[len..];
        } else {
            out.push(Piece::Char(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The column continuation lines start at: a bullet's text, a flag's
/// message (after the code's padding), a table row's value, else two more
/// than the line's own indent.
fn hanging_indent(visible: &[char], width: usize) -> usize {
    let lead = visible.iter().take_while(|c| **c == ' ').count();
    if visible.get(lead) == Some(&'-') && visible.get(lead + 1) == Some(&' ') {
        return lead + 2;
    }
    if lead == 2 {
        // The last run of two or more spaces in the first half: the value
        // column of a row or a flag.
        let half = width / 2;
        let mut found = None;
        let mut i = lead;
        while i < visible.len().min(half) {
            if visible[i] == ' ' {
                let run = visible[i..].iter().take_while(|c| **c == ' ').count();
                if run >= 2 && i + run < half {
                    found = Some(i + run);
                }
                i += run;
            } else {
                i += 1;
            }
        }
        if let Some(col) = found {
            return col;
        }
        // A row whose label fills its column ("Per injection 1.1 mg").
        if visible.len() > ROW_VALUE && visible[ROW_VALUE - 1] == ' ' && visible[ROW_VALUE] != ' ' {
            return ROW_VALUE;
        }
    }
    lead + 2
}

/// Where a table row's value starts: two spaces and a 13-column label and a space.
const ROW_VALUE: usize = 16;

/// Whether the space at `i` joins a number to its unit ("7.92 mg/week",
/// "15 %"): a line is not broken there.
fn joins_unit(parts: &[Piece<'_>], i: usize) -> bool {
    let char_of = |p: &Piece<'_>| match p {
        Piece::Char(c) => Some(*c),
        Piece::Escape(_) => None,
    };
    let before = parts[..i].iter().rev().find_map(char_of);
    let after = parts[i + 1..].iter().find_map(char_of);
    matches!((before, after), (Some(b), Some(a)) if b.is_ascii_digit() && (a.is_alphabetic() || a == '%'))
}

fn wrap_line(out: &mut String, line: &str, width: usize) {
    let parts = pieces(line);
    let visible: Vec<char> = parts
        .iter()
        .filter_map(|p| match p {
            Piece::Char(c) => Some(*c),
            Piece::Escape(_) => None,
        })
        .collect();
    if visible.len() <= width {
        out.push_str(line);
        return;
    }
    let indent = hanging_indent(&visible, width).min(width / 2);
    let mut current = String::new();
    // Line by line: `start` indexes `parts` where the line begins.
    let mut start = 0;
    let mut first = true;
    while start < parts.len() {
        let lead = if first { 0 } else { indent };
        let room = width.saturating_sub(lead);
        // Find the end of this line: the last space within `room` columns
        // (not inside the line's own leading indent), else a cut at `room`.
        let mut used = 0;
        let mut last_space = None;
        let mut end = parts.len();
        let mut i = start;
        let own_lead = if first {
            visible.iter().take_while(|c| **c == ' ').count()
        } else {
            0
        };
        while i < parts.len() {
            if let Piece::Char(c) = parts[i] {
                if used == room {
                    end = match last_space {
                        _ if c == ' ' => i,
                        Some(s) => s,
                        None => i,
                    };
                    break;
                }
                if c == ' ' && used >= own_lead.max(1) && !joins_unit(&parts, i) {
                    last_space = Some(i);
                }
                used += 1;
            }
            i += 1;
        }
        current.clear();
        if !first {
            current.push_str(&" ".repeat(indent));
        }
        for p in &parts[start..end] {
            match p {
                Piece::Char(c) => current.push(*c),
                Piece::Escape(e) => current.push_str(e),
            }
        }
        let kept = current.trim_end_matches(' ');
        out.push_str(kept);
        // Skip the spaces at the break (escapes after them are kept).
        start = end;
        while start < parts.len() && parts[start] == Piece::Char(' ') {
            start += 1;
        }
        if start < parts.len() {
            out.push('\n');
        }
        first = false;
    }
}

#[cfg(test)]
mod tests;
