//! Runs a rule's own `[[rule.example]]`s: each rule is judged alone, so an example shows what
//! that rule decides, whatever its pack-mates do.

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::history::History;
use crate::model::{Borrower, Channel, ContactAttempt, Event, Party};
use crate::pack::{ExampleDef, Expect};
use crate::rules::text::TextInput;
use crate::rules::Ctx;
use crate::text::Prepared;

/// The failures of one rule's examples, each described.
pub(crate) fn run(engine: &Engine, rule_id: &str) -> Vec<String> {
    let Some((pack, index)) = engine.locate(rule_id) else {
        return vec![format!("no rule `{rule_id}`")];
    };
    let Some(rule) = pack.rules.get(index) else {
        return vec![format!("no rule `{rule_id}`")];
    };
    let mut failures = Vec::new();
    for (n, ex) in rule.info.examples.iter().enumerate() {
        let label = format!(
            "{rule_id} example {} {:?}",
            n + 1,
            ex.name.as_deref().unwrap_or("")
        );
        match judge(pack, index, ex) {
            Ok((fired, next, evidence)) => {
                let expected_fire = ex.expect != Expect::Allow;
                if fired != expected_fire {
                    failures.push(format!(
                        "{label}: expected the rule to {}, but it {}",
                        if expected_fire { "fire" } else { "stay silent" },
                        if fired { "fired" } else { "did not fire" }
                    ));
                    continue;
                }
                if let Some(want) = &ex.next_allowed_at {
                    match want.parse::<DateTime<Utc>>() {
                        Ok(w) if next == Some(w) => {}
                        Ok(_) => failures.push(format!(
                            "{label}: expected next_allowed_at {want}, got {}",
                            next.map_or("none".to_string(), |t| t.to_rfc3339())
                        )),
                        Err(e) => {
                            failures.push(format!("{label}: bad next_allowed_at `{want}`: {e}"))
                        }
                    }
                }
                if let Some(want) = &ex.evidence {
                    if evidence.as_deref() != Some(want.as_str()) {
                        failures.push(format!(
                            "{label}: expected evidence `{want}`, got {:?}",
                            evidence
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!("{label}: {e}")),
        }
    }
    failures
}

type Judged = (bool, Option<DateTime<Utc>>, Option<String>);

fn judge(
    pack: &crate::pack::CompiledPack,
    index: usize,
    ex: &ExampleDef,
) -> Result<Judged, String> {
    let rule = pack.rules.get(index).ok_or("no rule")?;
    if let Some(text) = &ex.text {
        let channel = ex.channel.unwrap_or(Channel::Sms);
        let to = ex.to.unwrap_or(Party::Borrower);
        let mut attempt =
            ContactAttempt::new("example", "example", DateTime::<Utc>::UNIX_EPOCH, channel).to(to);
        if let Some(p) = ex.purpose {
            attempt.purpose = p;
        }
        if !rule.scope.covers_attempt(&attempt) {
            return Ok((false, None, None));
        }
        let mut prepared = Prepared::default();
        prepared.prepare(text);
        let input = TextInput {
            channel,
            to,
            purpose: attempt.purpose,
        };
        let mut hits = Vec::new();
        pack.check_text(&mut prepared, &input, |_| true, &mut hits);
        let mine = hits.into_iter().find(|(i, _)| *i == index);
        let evidence = mine
            .as_ref()
            .and_then(|(_, f)| f.span.and_then(|s| s.text(text)).map(str::to_string));
        return Ok((mine.is_some(), None, evidence));
    }
    let events = ex.events.as_deref().unwrap_or("");
    let mut parsed = Vec::new();
    for (n, line) in events.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let ev: Event =
            serde_json::from_str(line).map_err(|e| format!("events line {}: {e}", n + 1))?;
        parsed.push(ev);
    }
    let last_contact = parsed
        .iter()
        .rposition(|e| matches!(e, Event::Contact(_)))
        .ok_or("events hold no contact to judge")?;
    let borrower = parsed
        .iter()
        .find_map(|e| match e {
            Event::Borrower(b) => Some(b.clone()),
            _ => None,
        })
        .ok_or("events hold no borrower")?;
    let mut history = History::new(&borrower);
    let mut attempt = None;
    for (i, ev) in parsed.iter().enumerate() {
        if i == last_contact {
            if let Event::Contact(c) = ev {
                attempt = Some(c.clone());
            }
            break;
        }
        history.record(ev).map_err(|e| e.to_string())?;
    }
    let attempt = attempt.ok_or("no contact")?;
    judge_contact(rule, &borrower, &history, &attempt)
}

fn judge_contact(
    rule: &crate::pack::CompiledRule,
    borrower: &Borrower,
    history: &History,
    attempt: &ContactAttempt,
) -> Result<Judged, String> {
    if !rule.scope.covers_attempt(attempt) {
        return Ok((false, None, None));
    }
    let ctx = Ctx {
        borrower,
        history,
        attempt,
    };
    let fired = rule.kind.check_contact(&ctx);
    let next = match (&fired, rule.kind.timing()) {
        (Some(_), Some(t)) => t.earliest_pass(&ctx, attempt.at),
        _ => None,
    };
    Ok((fired.is_some(), next, None))
}
