//! What a lesson PDF shows: the lessons as the Typst template reads them (`/data.json`), with each story and
//! teacher's notes as Typst markup (`/body-N.typ`, `/notes-N.typ`) and each QR code (`/qr-N.svg`).

use super::markup;
use crate::config::Paper;
use crate::content::schema::{KindData, Question, Status, Step};
use crate::site::Site;
use serde::Serialize;
use serde_json::{Map, Value};

/// The student worksheet or the teacher copy (with timing, notes and answer key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    Student,
    Teacher,
}

impl Variant {
    /// Both, in the order pages offer them.
    pub const ALL: [Variant; 2] = [Variant::Student, Variant::Teacher];

    /// `student` or `teacher`, as in file names.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Student => "student",
            Variant::Teacher => "teacher",
        }
    }
}

/// One lesson, ready for the template.
#[derive(Debug, Clone, Serialize)]
pub struct Lesson {
    pub title: String,
    /// Series and number: "Ecology Note · Lesson 2".
    pub label: String,
    /// Ages and length: "Ages 10–12 · 50 minutes".
    pub meta: String,
    /// A translation not yet reviewed.
    pub draft: bool,
    pub objectives: Vec<String>,
    pub materials: Vec<String>,
    pub steps: Vec<Step>,
    pub questions: Vec<Question>,
    /// Typst markup of the story.
    #[serde(skip)]
    pub body: String,
    /// Typst markup of the notes for the teacher (empty when there are none).
    #[serde(skip)]
    pub notes: String,
    /// The QR code of the lesson's online page, as SVG.
    #[serde(skip)]
    pub qr: String,
}

impl Lesson {
    /// The lesson of page `i`, with `markdown` its body; `None` when the page is not a lesson.
    pub fn of_page(
        site: &Site,
        i: usize,
        markdown: &str,
        t: &Map<String, Value>,
    ) -> Option<Lesson> {
        let page = &site.pages[i];
        let KindData::Lesson(l) = &page.doc.data else {
            return None;
        };
        let s = |key: &str| {
            t.get(key)
                .and_then(Value::as_str)
                .unwrap_or(key)
                .to_string()
        };
        Some(Lesson {
            title: page.doc.title().to_string(),
            label: format!("{} · {} {}", l.series, s("lesson"), l.number),
            meta: format!(
                "{} {}–{} · {} {}",
                s("ages"),
                l.age_range[0],
                l.age_range[1],
                l.duration,
                s("minutes")
            ),
            draft: page.doc.common.status == Some(Status::Draft),
            objectives: l.objectives.clone(),
            materials: l.materials.clone(),
            steps: l.steps.clone(),
            questions: l.questions.clone(),
            body: markup::from_markdown(markdown, 1),
            notes: l
                .teacher_notes
                .as_deref()
                .map(|n| markup::from_markdown(n, 2))
                .unwrap_or_default(),
            qr: crate::qr::svg(&site.permalink(&page.path)),
        })
    }

    /// Every piece of text the sheet sets, to check that the fonts cover it.
    pub fn text(&self) -> String {
        let mut all = vec![
            self.title.as_str(),
            &self.label,
            &self.meta,
            &self.body,
            &self.notes,
        ];
        all.extend(self.objectives.iter().map(String::as_str));
        all.extend(self.materials.iter().map(String::as_str));
        all.extend(self.steps.iter().map(|s| s.text.as_str()));
        for q in &self.questions {
            all.push(&q.text);
            all.push(&q.answer);
        }
        all.join("\n")
    }
}

/// One PDF to make: one lesson, or a booklet of several, in one variant and on one paper.
pub struct Sheet<'a> {
    /// The document title.
    pub title: String,
    pub site: &'a str,
    pub lang: &'a str,
    pub variant: Variant,
    pub paper: Paper,
    pub t: &'a Map<String, Value>,
    /// The lessons with the scale each is set at (1.0, smaller for a student sheet that must fit two pages).
    pub lessons: Vec<(&'a Lesson, f64)>,
}

impl Sheet<'_> {
    /// The files the template reads: `/data.json`, and per lesson N `/body-N.typ`, `/notes-N.typ`,
    /// `/qr-N.svg`.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let lessons: Vec<Value> = self
            .lessons
            .iter()
            .enumerate()
            .map(|(n, (lesson, scale))| {
                let mut v = serde_json::to_value(lesson).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert("scale".into(), (*scale).into());
                    m.insert("body".into(), format!("/body-{n}.typ").into());
                    m.insert(
                        "notes".into(),
                        if lesson.notes.is_empty() {
                            Value::Null
                        } else {
                            format!("/notes-{n}.typ").into()
                        },
                    );
                    m.insert("qr".into(), format!("/qr-{n}.svg").into());
                }
                v
            })
            .collect();
        let data = serde_json::json!({
            "title": self.title,
            "site": self.site,
            "lang": self.lang,
            "paper": match self.paper { Paper::A4 => "a4", Paper::Letter => "us-letter" },
            "variant": self.variant,
            "t": self.t,
            "lessons": lessons,
        });
        let mut files = vec![(
            "/data.json".to_string(),
            serde_json::to_vec(&data).unwrap_or_default(),
        )];
        for (n, (lesson, _)) in self.lessons.iter().enumerate() {
            files.push((format!("/body-{n}.typ"), lesson.body.clone().into_bytes()));
            if !lesson.notes.is_empty() {
                files.push((format!("/notes-{n}.typ"), lesson.notes.clone().into_bytes()));
            }
            files.push((format!("/qr-{n}.svg"), lesson.qr.clone().into_bytes()));
        }
        files
    }
}
