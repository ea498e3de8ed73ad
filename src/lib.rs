#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod bulk;
mod engine;
mod examples;
mod history;
pub mod lint;
mod model;
mod pack;
mod rules;
mod screen;
mod text;
mod time;
mod verdict;

pub use bulk::{screen_lines_parallel, write_outcome_json, BulkError, ParallelScreener, Summary};
pub use engine::{CheckError, Engine, EngineBuilder, PackInfo, Scratch, MAX_TIME_ZONES};
pub use history::{History, HistoryError, PastContact, SUPPORTED_YEARS};
pub use model::{
    AddressKind, Borrower, Cease, Channel, Consent, ConsentScope, ContactAttempt, Direction, Event,
    Inconvenient, OptOut, Outcome, Party, Purpose, Relation, Represented,
};
pub use pack::{Confidence, ExampleDef, Expect, LoadError, RuleInfo, RuleKind};
pub use screen::{
    read_lines, ContactVerdict, ErrorLine, Limits, LineOutcome, ScreenError, Screener,
};
pub use verdict::{Category, Decision, Reason, Severity, Span, Verdict};
