//! Text search: how a `search` parameter splits into terms, and the lower-cased text that a
//! row is matched against.
//!
//! Case folding happens here, in Rust, for every alphabet (SQLite's `LIKE` folds ASCII
//! only): rows keep a `search_text` column built by [`searchable_text`], and terms are
//! folded the same way before they reach SQL.

/// Splits on whitespace and commas, drops NUL characters and empty pieces, lower-cases.
pub fn split_terms(input: &str) -> Vec<String> {
    input.replace('\0', "").split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()).map(fold).collect()
}

/// Lower-cases for matching.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// The text stored beside a row for matching: its searched fields, folded, one per line so
/// that no term (terms never contain whitespace) can match across two fields.
pub fn searchable_text<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    fields.into_iter().map(fold).collect::<Vec<_>>().join("\n")
}

/// A `LIKE` pattern matching `term` anywhere, with `\` as the escape character.
pub fn contains_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_on_space_and_comma() {
        assert_eq!(split_terms("Nurmella  pelataan,LOREM"), vec!["nurmella", "pelataan", "lorem"]);
        assert_eq!(split_terms(" \0 "), Vec::<String>::new());
        assert_eq!(split_terms("ÄÄNI"), vec!["ääni"]);
    }

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(contains_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
        assert_eq!(searchable_text(["Jalka", "PALLO"]), "jalka\npallo");
    }
}
