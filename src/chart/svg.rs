//! A small SVG writer: elements written in the order they are drawn, every
//! attribute value and text escaped, every number with two decimals, so the
//! same drawing gives the same bytes.

use std::fmt::Write as _;

/// The font of every text.
const FONT: &str = "sans-serif";

/// The comment every chart starts with, after the XML declaration: how
/// `chart -o` knows a file it may replace is a chart it wrote.
pub(crate) const MARK: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- gh-dose chart -->\n";

/// An SVG 1.1 document being written.
#[derive(Debug)]
pub(super) struct Svg {
    out: String,
}

/// A number as an attribute value: two decimals, never `-0.00`; a number
/// that is not finite is written as 0 (the charts check their input first).
pub(super) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0.00".to_string();
    }
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_string() } else { s }
}

/// A quantity for reading: at most `decimals` decimals, trailing zeros
/// dropped (8.05, 7, 7.35).
pub(super) fn amount(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// A signed quantity for reading: `+2`, `-13`, `0`.
pub(super) fn signed(x: f64, decimals: usize) -> String {
    let s = amount(x, decimals);
    if x > 0.0 && s != "0" {
        format!("+{s}")
    } else {
        s
    }
}

/// Text escaped for XML character data and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            // Nor are U+FFFE and U+FFFF: the replacement character instead.
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A list of points as a `points` attribute.
pub(super) fn points(pts: &[(f64, f64)]) -> String {
    let mut s = String::new();
    for (i, (x, y)) in pts.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{},{}", num(*x), num(*y));
    }
    s
}

impl Svg {
    /// The XML declaration, the `svg` element and a white background.
    pub(super) fn new(width: f64, height: f64) -> Svg {
        let (w, h) = (num(width), num(height));
        let mut out = String::from(MARK);
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" \
             height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\">"
        );
        let mut svg = Svg { out };
        svg.el(
            "rect",
            &[
                ("x", "0"),
                ("y", "0"),
                ("width", &w),
                ("height", &h),
                ("fill", "white"),
            ],
        );
        svg
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            let _ = write!(self.out, " {key}=\"{}\"", escape(value));
        }
    }

    /// An empty element.
    pub(super) fn el(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// Opens an element that will hold others; close it with [`Svg::close`].
    pub(super) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
    }

    /// Closes an element opened with [`Svg::open`].
    pub(super) fn close(&mut self, name: &str) {
        let _ = writeln!(self.out, "</{name}>");
    }

    /// An element holding only text.
    pub(super) fn text_el(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(name, attrs);
        let _ = writeln!(self.out, ">{}</{name}>", escape(text));
    }

    /// A `title` (the tooltip of the element it is in).
    pub(super) fn title(&mut self, text: &str) {
        self.text_el("title", &[], text);
    }

    /// A text at (x, y); `anchor` is start, middle or end.
    pub(super) fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, text: &str) {
        let attrs = [
            ("x", num(x)),
            ("y", num(y)),
            ("font-size", num(size)),
            ("text-anchor", anchor.to_string()),
        ];
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.text_el("text", &attrs, text);
    }

    /// A straight line.
    pub(super) fn line(&mut self, from: (f64, f64), to: (f64, f64), style: &[(&str, &str)]) {
        let (x1, y1, x2, y2) = (num(from.0), num(from.1), num(to.0), num(to.1));
        let mut attrs = vec![("x1", x1.as_str()), ("y1", &y1), ("x2", &x2), ("y2", &y2)];
        attrs.extend_from_slice(style);
        self.el("line", &attrs);
    }

    /// An open polyline (nothing is written for fewer than two points).
    pub(super) fn polyline(&mut self, pts: &[(f64, f64)], style: &[(&str, &str)]) {
        if pts.len() < 2 {
            return;
        }
        let p = points(pts);
        let mut attrs = vec![("points", p.as_str()), ("fill", "none")];
        attrs.extend_from_slice(style);
        self.el("polyline", &attrs);
    }

    /// A rectangle from its corners.
    pub(super) fn rect(&mut self, a: (f64, f64), b: (f64, f64), style: &[(&str, &str)]) {
        let (x, y) = (num(a.0.min(b.0)), num(a.1.min(b.1)));
        let (w, h) = (num((a.0 - b.0).abs()), num((a.1 - b.1).abs()));
        let mut attrs = vec![("x", x.as_str()), ("y", &y), ("width", &w), ("height", &h)];
        attrs.extend_from_slice(style);
        self.el("rect", &attrs);
    }

    /// The document's text.
    pub(super) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests;
