//! The stable codes of kizuna's diagnostics: one kind per problem, listed in `docs/diagnostics.md`, so a
//! contributor, a CI log or a code-scanning tool can tell problems apart without matching their wording.

macro_rules! codes {
    ($( $variant:ident = $id:literal, $name:literal, $summary:literal; )*) => {
        /// What kind of problem a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of their ids.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable id, e.g. `K401`: never reused for another problem.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// The stable name, e.g. `broken-link`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// One line on what the problem is.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    // Reading files and the configuration.
    Io = "K101", "io", "A file or folder cannot be read or written.";
    InvalidUtf8 = "K102", "invalid-utf8", "A file is not valid UTF-8 text.";
    MissingContent = "K103", "missing-content", "The site has no content folder.";
    InvalidConfig = "K104", "invalid-config", "A setting in kizuna.yaml is not usable.";
    MissingTheme = "K105", "missing-theme", "The configured theme does not exist.";
    GitHistory = "K106", "git-history", "Last-updated dates cannot come from git: a shallow clone, or git failed.";
    // Front matter.
    UnclosedFrontMatter = "K201", "unclosed-front-matter", "The front matter's closing `---` or `+++` is missing.";
    InvalidSyntax = "K202", "invalid-syntax", "The YAML or TOML of the front matter or configuration cannot be parsed.";
    UnknownField = "K203", "unknown-field", "A field that this kind of document does not have.";
    MissingField = "K204", "missing-field", "A required field is missing.";
    InvalidValue = "K205", "invalid-value", "A field's value is not one of the allowed values.";
    WrongType = "K206", "wrong-type", "A field's value has the wrong type (a list for a text, a text for a number…).";
    InvalidDate = "K207", "invalid-date", "A date is not written as YYYY, YYYY-MM or YYYY-MM-DD.";
    LikelyTypo = "K208", "likely-typo", "An unknown key on a plain page is kept, but looks like a misspelt field.";
    UnsafePath = "K209", "unsafe-path", "A `url`, `slug` or alias would leave the site or climb out of its folder.";
    // Languages and translations.
    UnknownLanguage = "K301", "unknown-language", "A language that kizuna.yaml does not configure.";
    LanguageMismatch = "K302", "language-mismatch", "The file name's language suffix and its `lang` field disagree.";
    OutdatedTranslation = "K303", "outdated-translation", "A translation was made from an older version of its source.";
    ZawgyiText = "K304", "zawgyi-text", "Burmese text that looks Zawgyi-encoded rather than Unicode.";
    UntranslatedStrings = "K305", "untranslated-strings", "The theme lacks UI strings in one of the site's languages.";
    // The site's structure.
    DuplicateSection = "K401", "duplicate-section", "Two `_index` files for one section in one language.";
    PathCollision = "K402", "path-collision", "Two files would be written to the same output path.";
    AliasSkipped = "K403", "alias-skipped", "An alias is not written, because a page or another alias has its path.";
    UnknownReference = "K404", "unknown-reference", "A reference to a city, case study or agreement id that no document has.";
    InvalidId = "K405", "invalid-id", "A document id that cannot name a file and a URL.";
    FileExists = "K406", "file-exists", "`kizuna new` would overwrite an existing file.";
    // Bodies and links.
    BrokenLink = "K501", "broken-link", "A link to a page, file or heading that the site does not publish.";
    MissingImage = "K502", "missing-image", "An image that the site does not publish.";
    RawHtmlRemoved = "K503", "raw-html-removed", "Raw HTML that is not safe to publish was removed.";
    Shortcode = "K504", "shortcode", "Hugo shortcodes that kizuna leaves as text.";
    UnknownCitation = "K505", "unknown-citation", "A citation names a document that is not on the sources page.";
    CopiedText = "K506", "copied-text", "A run of 10 or more words copied from a source report (`check --sources`).";
    // Templates and output.
    Template = "K601", "template", "A template does not compile or fails to render.";
    OutputOverSources = "K602", "output-over-sources", "The output folder would replace the site's sources.";
    Search = "K603", "search", "The search index cannot be built or read.";
    BundleName = "K604", "bundle-name", "A path that FAT32 or Windows cannot hold, so `kizuna bundle` cannot ship it.";
    PdfTemplate = "K605", "pdf-template", "The theme's Typst template for lesson PDFs does not compile.";
    PdfFont = "K606", "pdf-font", "No font for some of a lesson's characters, so its PDFs are not made.";
    PdfTooLong = "K607", "pdf-too-long", "A student sheet does not fit two pages even set smaller.";
    Internal = "K699", "internal", "A bug in kizuna: please report it with the content that caused it.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique() {
        let mut ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        ids.sort();
        names.sort();
        ids.dedup();
        names.dedup();
        assert_eq!(ids.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn every_code_is_documented() {
        let docs = include_str!("../../docs/diagnostics.md");
        for code in Code::ALL {
            let row = format!("| {} | `{}` |", code.id(), code.name());
            assert!(
                docs.contains(&row),
                "docs/diagnostics.md has no row `{row}`"
            );
        }
        let rows = docs.lines().filter(|l| l.starts_with("| K")).count();
        assert_eq!(
            rows,
            Code::ALL.len(),
            "docs/diagnostics.md lists codes kizuna does not have"
        );
    }
}
