#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#[path = "../benches/common/mod.rs"]
mod common;
use collectguard::{Decision, Engine};
fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let engine = Engine::from_pack("us").unwrap();
    let n: usize = std::env::args()
        .nth(2)
        .map_or(20_000, |v| v.parse().unwrap());
    let cases = common::contact_cases(n, 50, 2026);
    let part: Vec<&common::Case> = cases
        .iter()
        .filter(|k| {
            let d = engine
                .check_contact(&k.borrower, &k.history, &k.attempt)
                .unwrap()
                .decision;
            match which.as_str() {
                "allow" => d == Decision::Allow,
                "deny" => d != Decision::Allow,
                _ => true,
            }
        })
        .collect();
    let t = std::time::Instant::now();
    let mut n = 0usize;
    let mut checks = 0usize;
    while t.elapsed().as_secs() < 3 {
        for k in &part {
            n += usize::from(
                engine
                    .check_contact(&k.borrower, &k.history, &k.attempt)
                    .unwrap()
                    .is_allowed(),
            );
        }
        checks += part.len();
    }
    println!(
        "{which} {} cases: {:.0} checks/s ({n})",
        part.len(),
        checks as f64 / t.elapsed().as_secs_f64()
    );
}
