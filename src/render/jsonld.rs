//! schema.org JSON-LD for case studies (`Article`), cities (`City`) and lessons (`LearningResource`), built from
//! typed structs. Events and agreements get theirs from the timeline ([`super::timeline`]).

use super::context::{city_name, doc_in};
use super::timeline::script_json;
use crate::content::schema::{GradeBand, Kind, KindData, PeriodEnd};
use crate::site::Site;
use serde::Serialize;

const CONTEXT: &str = "https://schema.org";

/// A place: a city with its page, country and coordinates where known.
#[derive(Serialize)]
pub struct Place {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
}

/// A `PostalAddress` holding only the country.
#[derive(Serialize)]
pub struct Address {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "addressCountry")]
    pub country: String,
}

/// `GeoCoordinates`.
#[derive(Serialize)]
pub struct Geo {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

/// A case study as a schema.org `Article` about its cities.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseStudy {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub headline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub url: String,
    pub in_language: String,
    pub about: Vec<Place>,
    pub spatial_coverage: Vec<Place>,
    /// The period of the cooperation, as an ISO 8601 interval (`1979/..` while ongoing).
    pub temporal_coverage: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citation: Vec<String>,
}

/// A city page as a schema.org `City`.
#[derive(Serialize)]
pub struct City {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(flatten)]
    pub place: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A reference to another language version of a lesson.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Work {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    pub in_language: String,
}

/// A lesson as a schema.org `LearningResource`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub url: String,
    pub in_language: String,
    pub educational_level: &'static str,
    pub learning_resource_type: &'static str,
    pub teaches: Vec<String>,
    pub typical_age_range: String,
    /// ISO 8601 duration of the lesson.
    pub time_required: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spatial_coverage: Vec<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_of_work: Option<Work>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub work_translation: Vec<Work>,
}

/// The JSON-LD script body for page `i` when it is a case study, city or lesson.
pub fn of_page(site: &Site, i: usize) -> Option<String> {
    let page = site.page(i);
    let doc = &page.doc;
    let url = site.permalink(&page.path);
    let json = match &doc.data {
        KindData::CaseStudy(cs) => {
            let end = match &cs.period.end {
                Some(PeriodEnd::Year(y)) => y.to_string(),
                _ => "..".to_string(),
            };
            let places = || vec![place(site, &cs.city, &doc.lang)];
            serde_json::to_value(CaseStudy {
                context: CONTEXT,
                kind: "Article",
                headline: doc.title().to_string(),
                description: doc.common.description.clone(),
                url,
                in_language: doc.lang.clone(),
                about: places(),
                spatial_coverage: places(),
                temporal_coverage: format!("{}/{end}", cs.period.start),
                citation: cs.sources.iter().map(|s| s.title.clone()).collect(),
            })
        }
        KindData::City(_) => serde_json::to_value(City {
            context: CONTEXT,
            place: place(site, &doc.id, &doc.lang),
            description: doc.common.description.clone(),
        }),
        KindData::Lesson(l) => {
            let work = |j: usize| {
                let p = site.page(j);
                Work {
                    kind: "LearningResource",
                    name: p.doc.title().to_string(),
                    url: site.permalink(&p.path),
                    in_language: p.doc.lang.clone(),
                }
            };
            let versions = site.versions(&Site::key(doc));
            let default = &site.config.default_language;
            let original = versions.iter().find(|(lang, _)| lang == default);
            let (translation_of_work, work_translation) = if doc.lang == *default {
                let others = versions.iter().filter(|(lang, _)| lang != default);
                (None, others.map(|(_, j)| work(*j)).collect())
            } else {
                (original.map(|(_, j)| work(*j)), Vec::new())
            };
            serde_json::to_value(Lesson {
                context: CONTEXT,
                kind: "LearningResource",
                name: doc.title().to_string(),
                description: doc.common.description.clone(),
                url,
                in_language: doc.lang.clone(),
                educational_level: match l.grade_band {
                    GradeBand::UpperPrimary => "Upper primary school",
                    GradeBand::LowerSecondary => "Lower secondary school",
                },
                learning_resource_type: "Lesson plan",
                teaches: l.objectives.clone(),
                typical_age_range: format!("{}-{}", l.age_range[0], l.age_range[1]),
                time_required: format!("PT{}M", l.duration),
                spatial_coverage: l.cities.iter().map(|c| place(site, c, &doc.lang)).collect(),
                translation_of_work,
                work_translation,
            })
        }
        _ => return None,
    };
    json.ok().map(|v| script_json(&v))
}

/// A city as a `City` place, in `lang`.
pub fn place(site: &Site, id: &str, lang: &str) -> Place {
    let city = doc_in(site, Kind::City, id, lang).map(|k| site.page(k));
    let data = city.and_then(|p| match &p.doc.data {
        KindData::City(c) => Some(c),
        _ => None,
    });
    Place {
        kind: "City",
        name: city_name(site, id, lang),
        url: city.map(|p| site.permalink(&p.path)),
        address: data.map(|c| Address {
            kind: "PostalAddress",
            country: c.country.clone(),
        }),
        geo: data
            .and_then(|c| c.coordinates)
            .map(|[latitude, longitude]| Geo {
                kind: "GeoCoordinates",
                latitude,
                longitude,
            }),
    }
}
