//! Diagnostics written for machines: JSON, GitHub workflow commands (annotations on a pull request's lines)
//! and SARIF 2.1.0 (code scanning). Each carries the same file, line, column, code and message as the
//! terminal output; files are given relative to the folder `kizuna` ran in (the site root joined in front),
//! so that a forge can find them in the repository.

use super::{Code, Diagnostic, Severity};
use serde_json::{json, Value};
use std::path::Path;

/// How `kizuna check` writes its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style text with the source line, for a terminal.
    Human,
    /// One JSON document: `{"diagnostics": [...], "errors": n, "warnings": n}`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// A diagnostic's place, as machine formats give it.
struct Place {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    /// The last column underlined (inclusive).
    end_column: Option<usize>,
}

fn place(d: &Diagnostic, root: &Path) -> Place {
    let file = d.file.as_ref().map(|f| {
        let joined = if root == Path::new(".") || root.as_os_str().is_empty() || f.is_absolute() {
            f.clone()
        } else {
            root.join(f)
        };
        let text = joined.to_string_lossy().replace('\\', "/");
        text.strip_prefix("./").unwrap_or(&text).to_string()
    });
    let end_column = d.position.map(|p| {
        let line_len = d.snippet.as_ref().map(|s| s.chars().count());
        let end = p.column + d.span - 1;
        match line_len {
            Some(len) if len >= p.column => end.min(len),
            _ => p.column,
        }
    });
    Place {
        file,
        line: d.position.map(|p| p.line),
        column: d.position.map(|p| p.column),
        end_column,
    }
}

/// The diagnostics as one JSON document.
pub fn json(diagnostics: &[Diagnostic], root: &Path) -> String {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let p = place(d, root);
            json!({
                "severity": d.severity.label(),
                "code": d.code.id(),
                "name": d.code.name(),
                "message": d.message,
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "end_column": p.end_column,
                "hint": d.hint,
            })
        })
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let doc = json!({
        "tool": "kizuna",
        "version": env!("CARGO_PKG_VERSION"),
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "diagnostics": items,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The diagnostics as GitHub Actions workflow commands, one line each.
pub fn github(diagnostics: &[Diagnostic], root: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let p = place(d, root);
        let mut props = Vec::new();
        if let Some(f) = &p.file {
            props.push(format!("file={}", escape_property(f)));
        }
        if let (Some(l), Some(c), Some(e)) = (p.line, p.column, p.end_column) {
            props.push(format!("line={l},col={c},endColumn={e}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} ({})", d.code.name(), d.code.id()))
        ));
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str("\nhint: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            d.severity.label(),
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

/// Escapes a workflow command's message, as the Actions toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, as the Actions toolkit does.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The diagnostics as a SARIF 2.1.0 log with one run; every code is a rule.
pub fn sarif(diagnostics: &[Diagnostic], root: &Path) -> String {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.id(),
                "name": c.name(),
                "shortDescription": { "text": c.summary() },
                "help": { "text": format!("See docs/diagnostics.md, `{}`.", c.name()) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let p = place(d, root);
            let mut text = d.message.clone();
            if let Some(h) = &d.hint {
                text.push_str(" (hint: ");
                text.push_str(h);
                text.push(')');
            }
            let mut result = json!({
                "ruleId": d.code.id(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code),
                "level": level(d.severity),
                "message": { "text": text },
            });
            if let Some(file) = p.file {
                let mut location = json!({ "artifactLocation": { "uri": file } });
                if let (Some(l), Some(c), Some(e)) = (p.line, p.column, p.end_column) {
                    location["region"] =
                        json!({ "startLine": l, "startColumn": c, "endColumn": e + 1 });
                }
                result["locations"] = json!([{ "physicalLocation": location }]);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "kizuna",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Diagnostic> {
        let src = "---\ntitel: a, b\n---\n";
        vec![
            Diagnostic::error(Code::UnknownField, "unknown field `titel`")
                .in_file("content/a.md")
                .at(src, 2, 1)
                .spanning(5)
                .hint("did you mean `title`?"),
        ]
    }

    #[test]
    fn github_commands_escape_and_locate() {
        let out = github(&sample(), Path::new("site"));
        assert_eq!(
            out,
            "::error file=site/content/a.md,line=2,col=1,endColumn=5,title=unknown-field (K203)::unknown field `titel`%0Ahint: did you mean `title`?\n"
        );
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn sarif_names_the_rule_and_region() {
        let out: Value = serde_json::from_str(&sarif(&sample(), Path::new("."))).unwrap();
        let result = &out["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "K203");
        let rule = &out["runs"][0]["tool"]["driver"]["rules"]
            [result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["name"], "unknown-field");
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "content/a.md");
        assert_eq!(loc["region"]["endColumn"], 6);
    }
}
