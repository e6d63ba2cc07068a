//! One templated output of the site ([`Job`]): its output path and its origin as a contributor names it.

use super::context;
use crate::site::Site;

/// One templated output of the site. Indices are into [`Site::pages`] and [`Site::sections`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// A page.
    Page(usize),
    /// A lesson's teacher copy.
    Teacher(usize),
    /// A lesson section's print-all page.
    PrintAll(usize),
    /// A section's list, page `n` (from 1) of its pagination.
    Section(usize, usize),
    /// A language's list of tags.
    TagList(String),
    /// Language, tag, pagination page.
    Tag(String, String, usize),
    /// A language's search page.
    Search(String),
    /// The translation status page.
    Translations,
    /// The 404 page.
    NotFound,
}

impl Job {
    /// The output path of the file the job renders: `index.html` in its [`Job::folder`], or `404.html`.
    pub fn path(&self, site: &Site) -> String {
        match self {
            Job::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.folder(site)),
        }
    }

    /// The site path of the folder the job's file goes in (empty for the 404 page, which is served at any
    /// depth).
    pub fn folder(&self, site: &Site) -> String {
        match self {
            Job::Page(i) => site.pages[*i].path.clone(),
            Job::Teacher(i) => format!("{}teacher/", site.pages[*i].path),
            Job::PrintAll(s) => format!("{}print/", site.sections[*s].path),
            Job::Section(s, n) => paginated(&site.sections[*s].path, *n),
            Job::TagList(lang) => tag_list_path(site, lang),
            Job::Tag(lang, tag, n) => paginated(&context::tag_path(site, lang, tag), *n),
            Job::Search(lang) => search_path(site, lang),
            Job::Translations => "translations/".into(),
            Job::NotFound => String::new(),
        }
    }
}

impl Job {
    /// What the job renders, as a contributor would name it in an error.
    pub fn origin(&self, site: &Site) -> String {
        match self {
            Job::Page(i) => site.pages[*i].doc.file.display().to_string(),
            Job::Teacher(i) => format!("the teacher copy of {}", site.pages[*i].doc.file.display()),
            Job::PrintAll(s) => format!("the print booklet of section `{}`", site.sections[*s].dir),
            Job::Section(s, n) => {
                let sec = &site.sections[*s];
                format!("page {n} of the `{}` list ({})", sec.dir, sec.lang)
            }
            Job::TagList(lang) => format!("the tag list ({lang})"),
            Job::Tag(lang, tag, n) => format!("page {n} of tag `{tag}` ({lang})"),
            Job::Search(lang) => format!("the search page ({lang})"),
            Job::Translations => "the translation status page".into(),
            Job::NotFound => "the 404 page".into(),
        }
    }
}

pub(super) fn paginated(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

fn tag_list_path(site: &Site, lang: &str) -> String {
    context::tag_path(site, lang, "x")
        .trim_end_matches("x/")
        .to_string()
}

fn search_path(site: &Site, lang: &str) -> String {
    let prefix = site.config.lang_prefix(lang);
    if prefix.is_empty() {
        "search/".to_string()
    } else {
        format!("{}/search/", &prefix[1..])
    }
}
