//! Stage one and two of the pipeline: read the content tree (`load`) and parse every file into a typed
//! document (`document`).

pub mod date;
pub mod document;
pub mod frontmatter;
pub mod load;
pub mod schema;

pub use document::{parse_all, Document, Parsed, SectionFile};
pub use load::{load, read_source, Asset, Loaded, SourceFile};
