//! Tera templates of the theme, and template errors that name the template, line and missing variable.

use crate::diagnostic::{Code, Diagnostic};
use crate::theme::Theme;
use std::collections::BTreeMap;
use std::error::Error as _;
use tera::{Context, Tera};

/// The compiled templates and their sources (for error locations).
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, (String, String)>,
}

impl Templates {
    /// Compiles every template of the theme.
    pub fn new(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also rewrites `/`, which bloats every URL; quotes, `&`, `<` and `>` suffice.
        tera.set_escape_fn(crate::markdown::escape);
        let list: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(name, (_, src))| (name.as_str(), src.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(list) {
            return Err(vec![compile_error(&e, &theme.templates)]);
        }
        Ok(Templates {
            tera,
            sources: theme.templates.clone(),
        })
    }

    /// Whether a template exists.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders a template.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.render_error(name, &e))
    }

    fn render_error(&self, name: &str, e: &tera::Error) -> Diagnostic {
        let chain = chain(e);
        let missing = chain
            .iter()
            .find_map(|m| between(m, "Variable `", "` not found"));
        let template = chain
            .iter()
            .filter_map(|m| between(m, "while rendering '", "'"))
            .next_back()
            .unwrap_or_else(|| name.to_string());
        let message = match &missing {
            Some(var) => {
                format!("template `{template}` uses `{var}`, which this page does not have")
            }
            None => format!("template `{template}` failed: {}", chain.join(": ")),
        };
        let mut d = Diagnostic::error(Code::Template, message);
        if let Some((shown, src)) = self.sources.get(&template) {
            d = d.in_file(shown);
            if let Some(var) = &missing {
                if let Some(offset) = find_use(src, var) {
                    d = d.at_offset(src, offset).spanning(var.chars().count());
                }
            }
        }
        match missing {
            Some(var) => d.hint(format!("guard it with `{{% if {var} %}}` or give it a default: `{{{{ {var} | default(value=\"\") }}}}`")),
            None => d,
        }
    }
}

fn compile_error(e: &tera::Error, sources: &BTreeMap<String, (String, String)>) -> Diagnostic {
    let chain = chain(e);
    let name = chain.iter().find_map(|m| {
        between(m, "Failed to parse '", "'").or_else(|| between(m, "template '", "'"))
    });
    let mut d = Diagnostic::error(
        Code::Template,
        format!("a template does not compile: {}", chain.join("\n")),
    );
    if let Some((shown, src)) = name.as_ref().and_then(|n| sources.get(n)) {
        d = d.in_file(shown);
        if let Some((line, col)) = chain.iter().find_map(|m| parse_position(m)) {
            d = d.at(src, line, col);
        }
    }
    d.hint("check the Tera syntax at that place: every `{{`, `{%` and block needs its closing part")
}

fn chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_string())
}

/// Tera's parse errors read ` --> 3:12`.
fn parse_position(text: &str) -> Option<(usize, usize)> {
    let at = text.find("--> ")? + 4;
    let rest: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let (l, c) = rest.split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// The first place inside a tag where `var` is used.
fn find_use(src: &str, var: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = src[from..].find(var) {
        let at = from + i;
        let open = src[..at].rfind("{{").max(src[..at].rfind("{%"));
        let close = src[..at].rfind("}}").max(src[..at].rfind("%}"));
        if open > close {
            return Some(at);
        }
        from = at + var.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> Theme {
        let mut t = Theme::default();
        for (name, src) in files {
            t.templates.insert(
                name.to_string(),
                (format!("templates/{name}"), src.to_string()),
            );
        }
        t
    }

    #[test]
    fn missing_variable_names_template_and_line() {
        let t = Templates::new(&theme(&[(
            "page.html",
            "<h1>{{ page.title }}</h1>\n<p>{{ page.summary }}</p>\n",
        )]))
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({"title": "A"}));
        let d = t.render("page.html", &ctx).unwrap_err();
        assert_eq!(
            d.message,
            "template `page.html` uses `page.summary`, which this page does not have"
        );
        assert_eq!(d.location().unwrap(), "templates/page.html:2:7");
    }

    #[test]
    fn values_are_escaped() {
        let t = Templates::new(&theme(&[("page.html", "{{ title }}")])).unwrap();
        let mut ctx = Context::new();
        ctx.insert("title", "<script>");
        assert_eq!(t.render("page.html", &ctx).unwrap(), "&lt;script&gt;");
    }

    #[test]
    fn syntax_error_is_reported() {
        let e = Templates::new(&theme(&[("page.html", "a\n{% if x %}\n")]))
            .err()
            .unwrap();
        assert!(e[0].message.starts_with("a template does not compile"));
        assert_eq!(
            e[0].file
                .as_deref()
                .map(|p| p.display().to_string())
                .as_deref(),
            Some("templates/page.html")
        );
    }
}
