//! What a lesson PDF shows: the lesson as the Typst template reads it (`/data.json`), with its story and
//! teacher's notes as Typst markup (`/body.typ`, `/notes.typ`) and its QR code (`/qr.svg`).

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
    /// The worksheet pupils fill in: story, questions, writing lines.
    Student,
    /// The teacher's copy: timing, notes and the answer key.
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

/// One sheet to make: a lesson in one variant, on one paper, at one scale.
pub struct Sheet<'a> {
    /// The document title.
    pub title: String,
    pub site: &'a str,
    pub lang: &'a str,
    pub variant: Variant,
    pub paper: Paper,
    pub t: &'a Map<String, Value>,
    pub lesson: &'a Lesson,
    /// The scale the text is set at: 1.0, smaller for a student sheet that must fit two pages.
    pub scale: f64,
}

impl Sheet<'_> {
    /// The files the template reads: `/data.json`, `/body.typ`, `/notes.typ` (when there are notes) and
    /// `/qr.svg`.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let data = serde_json::json!({
            "title": self.title,
            "site": self.site,
            "lang": self.lang,
            "paper": match self.paper { Paper::A4 => "a4", Paper::Letter => "us-letter" },
            "variant": self.variant,
            "scale": self.scale,
            "notes": !self.lesson.notes.is_empty(),
            "t": self.t,
            "lesson": self.lesson,
        });
        let mut files = vec![
            (
                "/data.json".to_string(),
                serde_json::to_vec(&data).unwrap_or_default(),
            ),
            (
                "/body.typ".to_string(),
                self.lesson.body.clone().into_bytes(),
            ),
            ("/qr.svg".to_string(), self.lesson.qr.clone().into_bytes()),
        ];
        if !self.lesson.notes.is_empty() {
            files.push((
                "/notes.typ".to_string(),
                self.lesson.notes.clone().into_bytes(),
            ));
        }
        files
    }
}
