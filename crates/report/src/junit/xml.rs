//! Escaping for the hand-written JUnit XML: text and attribute values, with the characters
//! XML 1.0 cannot hold at all replaced.

/// Whether XML 1.0 allows `c` in a document (as itself or as a character reference).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` for an attribute value in double quotes: markup and quotes escaped, tabs and line
/// breaks as character references (a parser would turn them into spaces otherwise), and
/// characters XML cannot hold (NUL, most control characters) as U+FFFD.
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// `s` for element text: markup escaped, carriage returns as references (a parser would drop
/// them otherwise), and characters XML cannot hold as U+FFFD.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Seconds as JUnit writes them (`0.750`): three decimals, never negative or non-finite
/// (those become `0.000`), no exponent, so it matches the schema's `SUREFIRE_TIME`.
pub(crate) fn seconds(s: f64) -> String {
    let s = if s.is_finite() && s > 0.0 { s } else { 0.0 };
    format!("{s:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_keep_line_breaks_and_escape_markup() {
        assert_eq!(
            attr("a<b>&\"c\"\n\td\r'"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#10;&#9;d&#13;'"
        );
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(attr("nul\0bell\u{7}"), "nul\u{FFFD}bell\u{FFFD}");
        assert_eq!(text("esc\u{1b}[31m µm ≤ 5\n"), "esc\u{FFFD}[31m µm ≤ 5\n");
        assert_eq!(text("\u{FFFF}\u{1F600}"), "\u{FFFD}\u{1F600}");
    }

    #[test]
    fn seconds_are_plain_with_three_decimals() {
        assert_eq!(seconds(0.75), "0.750");
        assert_eq!(seconds(12_345.678_9), "12345.679");
        assert_eq!(seconds(1e-9), "0.000");
        assert_eq!(seconds(-1.0), "0.000");
        assert_eq!(seconds(f64::NAN), "0.000");
        assert_eq!(seconds(f64::INFINITY), "0.000");
        assert_eq!(seconds(1e20), "100000000000000000000.000");
    }
}
