//! The values front-matter fields take: kinds of document, fields of cooperation, agreement and event
//! types, statuses, and the small records (sources, periods, outcomes, lesson steps and questions).

use serde::{Deserialize, Serialize};

/// What kind of document a file is, given by the section it lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A plain page: lenient front matter.
    Page,
    /// A case study of cooperation with one city (`case-studies/`).
    CaseStudy,
    /// A cooperation agreement (`agreements/`).
    Agreement,
    /// A dated timeline event (`timeline/`).
    Event,
    /// A city (`cities/`).
    City,
    /// An Ecology Note lesson (`lessons/`).
    Lesson,
    /// A programme or network of cities (`programmes/`).
    Programme,
}

impl Kind {
    /// The kind implied by a top-level folder name, for sections that do not declare one.
    pub fn from_folder(name: &str) -> Kind {
        match name {
            "case-studies" => Kind::CaseStudy,
            "agreements" => Kind::Agreement,
            "timeline" | "events" => Kind::Event,
            "cities" => Kind::City,
            "lessons" => Kind::Lesson,
            "programmes" | "programs" => Kind::Programme,
            _ => Kind::Page,
        }
    }

    /// The snake_case name used in templates, search facets and front matter.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::CaseStudy => "case_study",
            Kind::Agreement => "agreement",
            Kind::Event => "event",
            Kind::City => "city",
            Kind::Lesson => "lesson",
            Kind::Programme => "programme",
        }
    }
}

/// Fields of cooperation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// Water supply.
    Water,
    /// Sewerage and wastewater treatment.
    Sewerage,
    /// Solid waste and recycling.
    Waste,
    /// Air quality and pollution control.
    Air,
    /// Energy.
    Energy,
    /// Low-carbon development.
    LowCarbon,
    /// Climate change.
    Climate,
    /// Environmental education.
    Education,
    /// Environmental governance and policy.
    Governance,
    /// Industry and cleaner production.
    Industry,
    /// Urban planning.
    UrbanPlanning,
    /// Disaster prevention.
    DisasterPrevention,
    /// Nature conservation.
    Nature,
    /// Environmental business.
    Business,
}

impl Field {
    /// Every field, in display order.
    pub const ALL: [Field; 14] = [
        Field::Water,
        Field::Sewerage,
        Field::Waste,
        Field::Air,
        Field::Energy,
        Field::LowCarbon,
        Field::Climate,
        Field::Education,
        Field::Governance,
        Field::Industry,
        Field::UrbanPlanning,
        Field::DisasterPrevention,
        Field::Nature,
        Field::Business,
    ];

    /// The kebab-case id, as written in front matter.
    pub fn id(self) -> &'static str {
        match self {
            Field::Water => "water",
            Field::Sewerage => "sewerage",
            Field::Waste => "waste",
            Field::Air => "air",
            Field::Energy => "energy",
            Field::LowCarbon => "low-carbon",
            Field::Climate => "climate",
            Field::Education => "education",
            Field::Governance => "governance",
            Field::Industry => "industry",
            Field::UrbanPlanning => "urban-planning",
            Field::DisasterPrevention => "disaster-prevention",
            Field::Nature => "nature",
            Field::Business => "business",
        }
    }
}

/// Kinds of cooperation agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgreementType {
    /// `friendship-city`
    FriendshipCity,
    /// `friendship-port`
    FriendshipPort,
    /// `sister-city`
    SisterCity,
    /// `friendship-cooperation`
    FriendshipCooperation,
    /// `green-sister-city`
    GreenSisterCity,
    /// `mou`: a memorandum of understanding.
    Mou,
    /// `letter-of-intent`
    LetterOfIntent,
    /// `joint-statement`
    JointStatement,
    /// `comprehensive-agreement`
    ComprehensiveAgreement,
    /// `practical-agreement`
    PracticalAgreement,
    /// `declaration`
    Declaration,
}

/// Kinds of timeline event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventType {
    /// `milestone`
    Milestone,
    /// `project`
    Project,
    /// `training`
    Training,
    /// `visit`
    Visit,
    /// `conference`
    Conference,
    /// `workshop`
    Workshop,
    /// `policy`
    Policy,
    /// `award`
    Award,
    /// `business`
    Business,
    /// `study`
    Study,
}

/// Translation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not yet reviewed by a speaker of the language.
    Draft,
    /// Reviewed.
    Reviewed,
}

/// A city's part in the knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CityRole {
    /// Kitakyushu itself.
    Home,
    /// A partner city of bilateral cooperation.
    Partner,
    /// A city met through a programme or network.
    Network,
}

/// School stages the lessons are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GradeBand {
    /// The last years of primary school.
    UpperPrimary,
    /// The first years of secondary school.
    LowerSecondary,
}

/// A reference to a publication a document draws on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The publication and section (`IGES 2018, Case Study 2`).
    pub title: String,
    /// Where it can be read.
    #[serde(default)]
    pub url: Option<String>,
}

/// When a cooperation ran: a start year and an end year or `ongoing`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The first year.
    pub start: i32,
    /// The last year, or `ongoing`; unknown when absent.
    #[serde(default)]
    pub end: Option<PeriodEnd>,
}

/// The end of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PeriodEnd {
    /// The last year.
    Year(i32),
    /// Still running.
    Word(Ongoing),
}

/// The word `ongoing`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ongoing {
    /// `ongoing`.
    Ongoing,
}

/// A headline result of a cooperation, with its figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// What was measured ("Population served by piped water").
    pub label: String,
    /// The figure, as the source gives it ("25% → 92%").
    pub value: String,
    /// The year of the figure.
    #[serde(default)]
    pub year: Option<i32>,
}

/// One step of a lesson's activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What the class does.
    pub text: String,
    /// How long it takes.
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// One worksheet question with its answer for the teacher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question as pupils read it.
    pub text: String,
    /// Lines of writing space on the printed sheet.
    #[serde(default = "default_lines")]
    pub lines: u8,
    /// The answer, on the teacher copy.
    pub answer: String,
}

fn default_lines() -> u8 {
    2
}
