//! End-to-end tests of the `news-search` binary: each builds its input in a
//! temporary folder and runs the release-built binary the way a user would.

mod archives;
mod auth;
mod batch;
mod browser;
mod cite;
mod core;
mod feeds;
mod formats;
mod hardening;
mod hostile;
mod ingest;
mod languages;
mod news;
mod pages;
mod quickwit;
mod reuse;
mod rough_edges;
mod serve;
mod support;
mod synonyms;
mod terms;
mod trends;
mod trust;
mod watch;
