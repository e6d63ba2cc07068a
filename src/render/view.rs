//! What templates see, as types: the context every output shares ([`Base`]) and each kind of output's own
//! part. They serialize to the names the theme's templates read (`page.title`, `section.pages`, `nav`…).

use crate::config::Paper;
use crate::content::schema::{KindData, Status};
use crate::markdown::Heading;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The part of the context every output has: the site, the language and its strings, the menu, the links
/// back to the root.
#[derive(Serialize)]
pub struct Base<'a> {
    /// The site's settings templates show.
    pub site: SiteInfo<'a>,
    /// The language of the output (a page's content language when it declares one).
    pub lang: &'a str,
    /// The language's name.
    pub lang_name: &'a str,
    /// The theme's strings in the language.
    pub t: &'a Value,
    /// The relative path back to the site root.
    pub root: &'a str,
    /// The link to the language's home page.
    pub home: String,
    /// The menu.
    pub nav: Vec<NavItem<'a>>,
    /// Whether the home page lists more sections than the menu.
    pub nav_more: bool,
    /// The theme's fingerprint, for asset URLs.
    pub v: &'a str,
    /// The output's site path.
    pub path: &'a str,
    /// The output's absolute URL.
    pub permalink: String,
}

/// The site as templates see it.
#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) base_url: &'a str,
    pub(super) default_language: &'a str,
    pub(super) languages: Vec<LanguageLink<'a>>,
    pub(super) paper: &'a Paper,
    pub(super) search: bool,
    pub(super) portable: bool,
}

/// A configured language and the link to its home page.
#[derive(Serialize)]
pub struct LanguageLink<'a> {
    pub(super) code: &'a str,
    pub(super) name: &'a str,
    pub(super) href: String,
}

/// A menu entry.
#[derive(Serialize)]
pub struct NavItem<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) active: bool,
    pub(super) lang: &'a str,
}

/// A date as templates show it.
#[derive(Serialize)]
pub struct DateView {
    pub(super) iso: String,
    pub(super) display: String,
    pub(super) year: i32,
    pub(super) precision: &'static str,
}

/// A page as lists and references show it.
#[derive(Serialize)]
pub struct Summary<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a Option<String>,
    pub(super) href: String,
    pub(super) permalink: String,
    pub(super) id: &'a str,
    pub(super) kind: &'static str,
    pub(super) lang: &'a str,
    pub(super) date: Option<DateView>,
    pub(super) data: &'a KindData,
    pub(super) weight: Option<i64>,
}

/// A reference to a typed document: the document, or its id when there is no such document.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Linked<'a> {
    /// The document, in the page's language where it has a version in it.
    Page(Box<Summary<'a>>),
    /// An id nothing has (a draft left out, say).
    Missing {
        /// The id.
        id: &'a str,
        /// The id again, as the title to show.
        title: &'a str,
    },
}

/// The documents a page refers to.
#[derive(Serialize)]
pub struct Refs<'a> {
    pub(super) cities: Vec<Linked<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) case_study: Option<Linked<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) agreement: Option<Linked<'a>>,
}

/// A link to one language version of a page or list.
#[derive(Serialize)]
pub struct Version {
    pub(super) lang: String,
    pub(super) name: String,
    pub(super) href: String,
    pub(super) current: bool,
    pub(super) status: Option<Status>,
}

/// An `hreflang` alternate.
#[derive(Serialize, Clone)]
pub struct Alternate {
    pub(super) lang: String,
    pub(super) permalink: String,
}

/// A link with a name (tags, sections).
#[derive(Serialize)]
pub struct Link<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
}

/// A tag of a page.
#[derive(Serialize)]
pub struct TagLink<'a> {
    pub(super) name: &'a str,
    pub(super) href: String,
}

/// A language a page has no version in, with the forge's page to start one.
#[derive(Serialize)]
pub struct Translate<'a> {
    pub(super) lang: &'a str,
    pub(super) name: &'a str,
    pub(super) url: String,
}

/// A PDF to download.
#[derive(Serialize)]
pub struct DownloadView<'a> {
    pub(super) variant: &'a crate::pdf::Variant,
    pub(super) paper: &'a Paper,
    pub(super) href: String,
}

/// A page as its own template sees it.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a Option<String>,
    pub(super) id: &'a str,
    pub(super) kind: &'static str,
    pub(super) lang: &'a str,
    pub(super) href: String,
    pub(super) permalink: String,
    pub(super) date: Option<DateView>,
    pub(super) updated: Option<DateView>,
    pub(super) tags: Vec<TagLink<'a>>,
    pub(super) content: &'a str,
    pub(super) toc: &'a [Heading],
    pub(super) data: &'a KindData,
    pub(super) status: Option<Status>,
    pub(super) draft: bool,
    pub(super) weight: Option<i64>,
    pub(super) refs: Refs<'a>,
    /// Pages referring to this one, by kind.
    pub(super) related: BTreeMap<&'static str, Vec<Summary<'a>>>,
    pub(super) translations: Vec<Version>,
    pub(super) alternates: Vec<Alternate>,
    pub(super) section: Link<'a>,
    pub(super) last_updated: Option<DateView>,
    pub(super) commit: Option<&'a str>,
    pub(super) edit_url: Option<String>,
    pub(super) translate: Vec<Translate<'a>>,
    pub(super) translate_guide: Option<String>,
    pub(super) file: String,
    /// What only some pages have: a lesson's QR code, teacher copy and PDFs, a case study's timeline.
    #[serde(flatten)]
    pub(super) extra: PageExtra<'a>,
}

/// What only some pages show.
#[derive(Serialize, Default)]
pub struct PageExtra<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) qr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) teacher_href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) teacher_notes: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) pdfs: Option<Vec<DownloadView<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) outdated: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) timeline: Option<super::timeline::view::Groups<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) swimlane: Option<super::timeline::view::SwimlaneView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) citations: Option<Vec<super::citations::Citation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) jsonld: Option<String>,
}

/// Pagination of a list.
#[derive(Serialize)]
pub struct Pagination {
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    pub(super) pages: Vec<PageNumber>,
}

/// One numbered link of a pagination.
#[derive(Serialize)]
pub struct PageNumber {
    pub(super) number: usize,
    pub(super) href: String,
    pub(super) current: bool,
}

/// A subsection as its parent's list shows it.
#[derive(Serialize)]
pub struct Subsection<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) dir: &'a str,
    pub(super) count: usize,
    pub(super) description: Option<&'a str>,
}

/// A section's list page.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) dir: &'a str,
    pub(super) lang: &'a str,
    pub(super) kind: Option<&'static str>,
    pub(super) content: &'a str,
    pub(super) href: String,
    pub(super) pages: Vec<Summary<'a>>,
    pub(super) count: usize,
    pub(super) subsections: Vec<Subsection<'a>>,
    pub(super) print_href: String,
    pub(super) booklets: Vec<DownloadView<'a>>,
    pub(super) translations: Vec<Version>,
    pub(super) status: Option<Status>,
}

/// A tag and its number of pages, on the tag list.
#[derive(Serialize)]
pub struct TermCount<'a> {
    pub(super) name: &'a str,
    pub(super) count: usize,
    pub(super) href: String,
}

/// A tag's page.
#[derive(Serialize)]
pub struct Term<'a> {
    pub(super) name: &'a str,
    pub(super) count: usize,
    pub(super) pages: Vec<Summary<'a>>,
    pub(super) href: String,
}

/// The names the search page shows for its filters.
#[derive(Serialize)]
pub struct SearchFilters<'a> {
    pub(super) cities: Vec<IdName<'a>>,
    pub(super) fields: Vec<IdLabel>,
}

/// A city filter.
#[derive(Serialize)]
pub struct IdName<'a> {
    pub(super) id: &'a str,
    pub(super) name: String,
}

/// A field filter.
#[derive(Serialize)]
pub struct IdLabel {
    pub(super) id: &'static str,
    pub(super) label: String,
}

/// One row of the translation status page.
#[derive(Serialize)]
pub struct StatusRow<'a> {
    pub(super) key: &'a str,
    pub(super) title: &'a str,
    pub(super) kind: &'static str,
    pub(super) href: String,
    pub(super) hash: &'a str,
    pub(super) states: Vec<LangState<'a>>,
}

/// A language's state in a translation status row.
#[derive(Serialize)]
pub struct LangState<'a> {
    pub(super) lang: &'a str,
    pub(super) state: &'a crate::translations::State,
    pub(super) href: Option<String>,
}

/// The whole context of one output: the shared part and the output's own.
#[derive(Serialize)]
pub struct Output<'a, T: Serialize> {
    /// What every output has.
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The output's own part.
    #[serde(flatten)]
    pub own: T,
}
