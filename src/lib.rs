//! kizuna: a static knowledge-base site generator. The build is a one-way pipeline of small stages:
//! [`content`] (load and parse) → [`site`] (link) → [`markdown`] → [`render`] → [`output`] (write), driven by
//! [`pipeline`].

// A `Diagnostic` carries its snippet and hint by value; errors are the cold path, so boxing them buys nothing.
#![allow(clippy::result_large_err)]
#![deny(missing_docs)]

pub mod bundle;
pub mod config;
pub mod content;
pub mod deps;
pub mod diagnostic;
pub mod diff;
pub mod fingerprint;
pub mod forge;
pub mod history;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod sources;
pub mod theme;
pub mod timeline;
pub mod translations;
pub mod zawgyi;
