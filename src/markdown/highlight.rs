//! Code highlighting with syntect into CSS classes (`hl-keyword`, `hl-string`, …); the theme's stylesheet
//! colours them, so pages carry no inline styles.

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` written in `lang` (a fence token such as `rust`, `yaml`, `py`) as a `<pre><code>` block.
pub fn highlight(code: &str, lang: &str) -> String {
    let label = super::escape(lang);
    let plain = || {
        format!(
            "<pre><code{}>{}</code></pre>\n",
            if lang.is_empty() {
                String::new()
            } else {
                format!(" class=\"language-{label}\"")
            },
            super::escape(code)
        )
    };
    if lang.is_empty() {
        return plain();
    }
    let set = syntaxes();
    let Some(syntax) = set.find_syntax_by_token(lang) else {
        return plain();
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        set,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return plain();
        }
    }
    format!(
        "<pre class=\"highlight\"><code class=\"language-{label}\">{}</code></pre>\n",
        gen.finalize()
    )
}
