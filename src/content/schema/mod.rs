//! The typed front matter of every kind of document. Each kind is a serde struct that rejects unknown fields,
//! so a typo is an error with a suggestion instead of a silently ignored value.

use super::date::DateSpec;
use serde::{Deserialize, Serialize};

mod lenient;
mod section;
mod values;

use lenient::lenient_page;
pub use lenient::near_misses;
pub use section::{parse_section, SectionMeta, SortBy};
pub use values::*;

/// Fields every kind accepts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Common {
    /// The title (required on typed kinds).
    pub title: Option<String>,
    /// One or two sentences for lists, search results and `<meta name=description>`.
    pub description: Option<String>,
    /// When it happened or was published: a year, a month or a day.
    pub date: Option<DateSpec>,
    /// The last substantial change.
    pub updated: Option<DateSpec>,
    /// Free tags, lower case with hyphens.
    pub tags: Vec<String>,
    /// The language, normally implied by the file name's suffix.
    pub lang: Option<String>,
    /// Left out of the build unless `--drafts`.
    pub draft: bool,
    /// Sort order within a section, lower first.
    pub weight: Option<i64>,
    /// The URL segment, instead of the file name's.
    pub slug: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    /// A translation's review status.
    pub status: Option<Status>,
    /// For a translation: the content hash of the source it was translated from.
    pub translated_from: Option<String>,
}

/// Names of the fields every kind accepts.
pub const COMMON_FIELDS: [&str; 12] = [
    "title",
    "description",
    "date",
    "updated",
    "tags",
    "lang",
    "draft",
    "weight",
    "slug",
    "aliases",
    "status",
    "translated_from",
];

/// Declares a kind: a raw struct with the common fields plus the kind's own (rejecting anything else), and the
/// public struct holding the kind's own fields.
macro_rules! kind {
    ($(#[$meta:meta])* $raw:ident => $data:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }) => {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct $raw {
            #[serde(default)] title: Option<String>,
            #[serde(default)] description: Option<String>,
            #[serde(default)] date: Option<DateSpec>,
            #[serde(default)] updated: Option<DateSpec>,
            #[serde(default)] tags: Vec<String>,
            #[serde(default)] lang: Option<String>,
            #[serde(default)] draft: bool,
            #[serde(default)] weight: Option<i64>,
            #[serde(default)] slug: Option<String>,
            #[serde(default)] aliases: Vec<String>,
            #[serde(default)] status: Option<Status>,
            #[serde(default)] translated_from: Option<String>,
            $( $(#[$fmeta])* $field: $ty, )*
        }

        $(#[$meta])*
        #[derive(Debug, Clone, Serialize)]
        pub struct $data { $( $(#[$fmeta])* pub $field: $ty, )* }

        impl $raw {
            pub(crate) fn split(self) -> (Common, $data) {
                let common = Common {
                    title: self.title,
                    description: self.description,
                    date: self.date,
                    updated: self.updated,
                    tags: self.tags,
                    lang: self.lang,
                    draft: self.draft,
                    weight: self.weight,
                    slug: self.slug,
                    aliases: self.aliases,
                    status: self.status,
                    translated_from: self.translated_from,
                };
                (common, $data { $( $field: self.$field, )* })
            }
        }
    };
}

kind!(
    /// A plain page: the common fields, and whatever else its front matter holds in `extra` for templates
    /// (Zola's `extra`, Hugo's `params`), so that trees written for other generators build.
    RawPage => PageData {
        /// Keys kizuna does not read itself (Zola's `extra`, Hugo's `params` and other keys), for templates.
        #[serde(default)] extra: std::collections::BTreeMap<String, serde_yaml::Value>,
        /// The page's URL path, as written (Hugo's and Zola's `url`), instead of one made from its file name.
        #[serde(default)] url: Option<String>,
    }
);

kind!(
    /// A city: Kitakyushu or one of its partners.
    RawCity => CityData {
        /// The city's name by language code, in the languages the writer is sure of.
        #[serde(default)] names: std::collections::BTreeMap<String, String>,
        /// The country it is in.
        country: String,
        /// Its population, counted in `population_year`.
        #[serde(default)] population: Option<u64>,
        /// The year of the population count.
        #[serde(default)] population_year: Option<i32>,
        /// Latitude and longitude, in degrees.
        #[serde(default)] coordinates: Option<[f64; 2]>,
        /// Its part in the knowledge base.
        #[serde(default)] role: Option<CityRole>,
    }
);

kind!(
    /// A case study of Kitakyushu's cooperation with one partner city.
    RawCaseStudy => CaseStudyData {
        /// The partner city's id.
        city: String,
        /// The partner city's country.
        #[serde(default)] country: Option<String>,
        /// When the cooperation ran.
        period: Period,
        /// Fields of cooperation.
        fields: Vec<Field>,
        /// Funding and cooperation schemes (`JICA Partnership Program`).
        #[serde(default)] schemes: Vec<String>,
        /// Who paid.
        #[serde(default)] funders: Vec<String>,
        /// Organisations that took part.
        #[serde(default)] stakeholders: Vec<String>,
        /// Headline results, with their figures.
        #[serde(default)] outcomes: Vec<Outcome>,
        /// Publications the case study draws on.
        #[serde(default)] sources: Vec<Source>,
    }
);

kind!(
    /// A cooperation agreement between cities.
    RawAgreement => AgreementData {
        /// The kind of agreement.
        r#type: AgreementType,
        /// The ids of the cities that signed it.
        parties: Vec<String>,
        /// The id of the case study it belongs to.
        #[serde(default)] case_study: Option<String>,
        /// What it covers, in one or two sentences.
        #[serde(default)] summary: Option<String>,
        /// Publications it is documented in.
        #[serde(default)] sources: Vec<Source>,
    }
);

kind!(
    /// A dated milestone of the cooperation.
    RawEvent => EventData {
        /// The end of an event that lasted (its start is `date`).
        #[serde(default)] end: Option<DateSpec>,
        /// `date` is a Japanese fiscal year (April to March).
        #[serde(default)] fiscal_year: bool,
        /// The kind of event.
        r#type: EventType,
        /// The ids of the cities involved.
        #[serde(default)] cities: Vec<String>,
        /// Fields of cooperation.
        #[serde(default)] fields: Vec<Field>,
        /// The id of the case study it belongs to.
        #[serde(default)] case_study: Option<String>,
        /// The id of the agreement it follows from.
        #[serde(default)] agreement: Option<String>,
        /// The publication and section it is taken from.
        #[serde(default)] source: Option<String>,
    }
);

kind!(
    /// A programme or network of cities.
    RawProgramme => ProgrammeData {
        /// When it ended (its start is `date`).
        #[serde(default)] end: Option<DateSpec>,
        /// The ids of the member cities.
        #[serde(default)] cities: Vec<String>,
        /// Fields of cooperation.
        #[serde(default)] fields: Vec<Field>,
        /// Who ran it.
        #[serde(default)] organisers: Vec<String>,
        /// Publications it is documented in.
        #[serde(default)] sources: Vec<Source>,
    }
);

kind!(
    /// An Ecology Note lesson.
    RawLesson => LessonData {
        /// The series it belongs to (`Ecology Note`).
        series: String,
        /// Its number in the series; lessons are listed and bound in booklets by it.
        number: u32,
        /// The youngest and oldest pupils' ages.
        age_range: [u8; 2],
        /// The school stage it is written for.
        grade_band: GradeBand,
        /// Its length in minutes.
        duration: u32,
        /// School subjects it fits.
        #[serde(default)] subjects: Vec<String>,
        /// Fields of cooperation it teaches about.
        #[serde(default)] fields: Vec<Field>,
        /// The ids of the cities its story is about.
        #[serde(default)] cities: Vec<String>,
        /// The id of the case study its story comes from.
        #[serde(default)] case_study: Option<String>,
        /// What pupils can do after it ("I can …").
        objectives: Vec<String>,
        /// What the class needs.
        #[serde(default)] materials: Vec<String>,
        /// The activity, step by step, on the teacher copy.
        #[serde(default)] steps: Vec<Step>,
        /// Worksheet questions, with the answers for the teacher copy.
        #[serde(default)] questions: Vec<Question>,
        /// Markdown for the teacher copy: preparation, safety, how to adapt.
        #[serde(default)] teacher_notes: Option<String>,
    }
);

/// The kind-specific data of a document.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum KindData {
    /// A plain page's.
    Page(PageData),
    /// A city's.
    City(CityData),
    /// A case study's.
    CaseStudy(CaseStudyData),
    /// An agreement's.
    Agreement(AgreementData),
    /// An event's.
    Event(EventData),
    /// A programme's.
    Programme(ProgrammeData),
    /// A lesson's.
    Lesson(LessonData),
}

impl KindData {
    /// City ids the document refers to, with the front matter key they appear under.
    pub fn city_refs(&self) -> Vec<(&'static str, &str)> {
        let list = |key: &'static str, v: &'_ [String]| -> Vec<(&'static str, String)> {
            v.iter().map(|c| (key, c.clone())).collect()
        };
        let _ = list;
        match self {
            KindData::CaseStudy(d) => vec![("city", d.city.as_str())],
            KindData::Agreement(d) => d.parties.iter().map(|c| ("parties", c.as_str())).collect(),
            KindData::Event(d) => d.cities.iter().map(|c| ("cities", c.as_str())).collect(),
            KindData::Programme(d) => d.cities.iter().map(|c| ("cities", c.as_str())).collect(),
            KindData::Lesson(d) => d.cities.iter().map(|c| ("cities", c.as_str())).collect(),
            KindData::Page(_) | KindData::City(_) => Vec::new(),
        }
    }

    /// The case study the document refers to, if any.
    pub fn case_study_ref(&self) -> Option<&str> {
        match self {
            KindData::Agreement(d) => d.case_study.as_deref(),
            KindData::Event(d) => d.case_study.as_deref(),
            KindData::Lesson(d) => d.case_study.as_deref(),
            _ => None,
        }
    }

    /// The agreement the document refers to, if any.
    pub fn agreement_ref(&self) -> Option<&str> {
        match self {
            KindData::Event(d) => d.agreement.as_deref(),
            _ => None,
        }
    }

    /// Fields of cooperation the document covers.
    pub fn fields(&self) -> &[Field] {
        match self {
            KindData::CaseStudy(d) => &d.fields,
            KindData::Event(d) => &d.fields,
            KindData::Programme(d) => &d.fields,
            KindData::Lesson(d) => &d.fields,
            _ => &[],
        }
    }
}

/// Parses front matter `yaml` as the given kind.
pub fn parse(kind: Kind, yaml: &str) -> Result<(Common, KindData), serde_yaml::Error> {
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    Ok(match kind {
        Kind::Page => {
            let (c, d) = lenient_page(yaml)?.split();
            (c, KindData::Page(d))
        }
        Kind::City => {
            let (c, d) = serde_yaml::from_str::<RawCity>(yaml)?.split();
            (c, KindData::City(d))
        }
        Kind::CaseStudy => {
            let (c, d) = serde_yaml::from_str::<RawCaseStudy>(yaml)?.split();
            (c, KindData::CaseStudy(d))
        }
        Kind::Agreement => {
            let (c, d) = serde_yaml::from_str::<RawAgreement>(yaml)?.split();
            (c, KindData::Agreement(d))
        }
        Kind::Event => {
            let (c, d) = serde_yaml::from_str::<RawEvent>(yaml)?.split();
            (c, KindData::Event(d))
        }
        Kind::Programme => {
            let (c, d) = serde_yaml::from_str::<RawProgramme>(yaml)?.split();
            (c, KindData::Programme(d))
        }
        Kind::Lesson => {
            let (c, d) = serde_yaml::from_str::<RawLesson>(yaml)?.split();
            (c, KindData::Lesson(d))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lesson_parses() {
        let yaml = "title: T\nseries: Ecology Note\nnumber: 1\nage_range: [10, 12]\ngrade_band: upper-primary\nduration: 45\nobjectives: [I can sort waste.]\nquestions:\n  - text: Why?\n    answer: Because.\n";
        let (common, data) = parse(Kind::Lesson, yaml).unwrap();
        assert_eq!(common.title.as_deref(), Some("T"));
        match data {
            KindData::Lesson(l) => {
                assert_eq!(l.questions[0].lines, 2);
                assert_eq!(l.age_range, [10, 12]);
            }
            other => panic!("wrong kind {other:?}"),
        }
    }

    #[test]
    fn unknown_field_of_a_typed_kind_is_rejected_with_location() {
        let err = parse(Kind::City, "title: A\ncountry: X\ntagz: [a]\n").unwrap_err();
        assert!(err.to_string().starts_with("unknown field `tagz`"));
        assert_eq!(err.location().unwrap().line(), 3);
    }

    #[test]
    fn a_plain_page_reads_hugo_and_zola_front_matter() {
        let yaml = "title: A\nlinkTitle: Short\ncategories: [docs]\ntags: [x]\nalias: /old/\npublishDate: 2019-09-20T12:31:00Z\nparams: { color: red }\ntaxonomies: { authors: [kim] }\ntagz: [oops]\nurl: /guide/a/\n";
        let (common, data) = parse(Kind::Page, yaml).unwrap();
        assert_eq!(common.tags, ["docs", "x", "kim"]);
        assert_eq!(common.aliases, ["/old/"]);
        assert_eq!(common.date.unwrap().iso(), "2019-09-20");
        let KindData::Page(p) = data else { panic!() };
        assert_eq!(p.url.as_deref(), Some("/guide/a/"));
        for key in ["linkTitle", "color", "tagz", "taxonomies"] {
            assert!(p.extra.contains_key(key), "{key}: {:?}", p.extra);
        }
        let keys: Vec<String> = p.extra.keys().cloned().collect();
        assert_eq!(near_misses(&keys), [("tagz".to_string(), "tags")]);
    }

    #[test]
    fn bad_enum_value_is_rejected() {
        let err = parse(
            Kind::Event,
            "title: A\ndate: 2001\ntype: award\nfields: [wastes]\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown variant `wastes`"),
            "{err}"
        );
    }

    #[test]
    fn period_end_accepts_year_or_ongoing() {
        let p: Period = serde_yaml::from_str("{ start: 2012, end: ongoing }").unwrap();
        assert_eq!(p.end, Some(PeriodEnd::Word(Ongoing::Ongoing)));
        let p: Period = serde_yaml::from_str("{ start: 2012, end: 2016 }").unwrap();
        assert_eq!(p.end, Some(PeriodEnd::Year(2016)));
    }
}
