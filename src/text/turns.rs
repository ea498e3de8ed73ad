//! Turns of a transcript: the lines of a message that the other party said. A call or visit
//! transcript, or a chat export, often holds both sides (`Agent: …` / `Consumer: …`,
//! `催收员：…` / `客户：…`); the rules judge what the collector says, not what the borrower
//! or a contact answered (`Consumer: you people are vultures`). A line is the other party's
//! when it starts with one of [`ROLES`] as a speaker label: the role, optionally a short
//! parenthesis (`Consumer (crying):`), optionally a verb of speaking (`联系人问：`,
//! `Consumer asks:`), then a colon; the line may open with a bracket (`（联系人问：…）`).
//! The label must be the role alone: `Customer Service:` and `客户经理：` are the collector's
//! side and stay judged. Only that line is the other party's (or, when it opens with a
//! bracket, up to the bracket that closes it: `（联系人问：…）催收员：…`): an unlabelled line
//! after it is read as the collector's, so a label can never hide more than its own line.
//!
//! A label is believed only in a conversation: a transcript (channel `call`, `visit` or
//! `im`; the caller decides) in which some other line also starts with a speaker label
//! (`Agent:`, `催收员：`). A message that is one `Customer: …` line is judged whole, so a
//! label cannot be used to slip a threat past the rules.

/// Speaker labels of the party the collector is talking to: the borrower, and a relative
/// or contact who answers the phone. Compared with the label lower-cased (ASCII).
pub(crate) const ROLES: [&str; 24] = [
    "consumer",
    "customer",
    "debtor",
    "borrower",
    "cardholder",
    "account holder",
    "cosigner",
    "co-signer",
    "cx",
    "cust",
    "客户",
    "借款人",
    "债务人",
    "欠款人",
    "用户",
    "持卡人",
    "机主",
    "对方",
    "联系人",
    "紧急联系人",
    "家属",
    "第三方",
    "客戶",
    "債務人",
];

/// Verbs of speaking that may follow the role (`联系人问：`, `Consumer says:`).
const SPEAKING: [&str; 10] = [
    "问", "说", "答", "回答", "插话", " says", " asks", " said", " asked", " replies",
];

/// Longest label read, in bytes: a speaker label is short.
const MAX_LABEL: usize = 48;

/// Whether a message on `channel` may be a transcript of both sides.
pub(crate) fn may_be_transcript(channel: crate::model::Channel) -> bool {
    use crate::model::Channel;
    matches!(channel, Channel::Call | Channel::Visit | Channel::Im)
}

/// Pushes onto `out` the byte ranges of `text` (lines, or their bracketed opening, without
/// the line break) that are the other party's turns, if `text` is a conversation.
pub(crate) fn other_turns(text: &str, out: &mut Vec<(usize, usize)>) {
    let before = out.len();
    let mut other_speaker = false;
    let mut start = 0;
    for line in text.split('\n') {
        match label(line) {
            Some((true, end)) => {
                out.push((start, start + end));
                // The collector answering after the bracket, on the same line.
                other_speaker |= end < line.len() && label(line.get(end..).unwrap_or("")).is_some();
            }
            Some((false, _)) => other_speaker = true,
            None => {}
        }
        start += line.len() + 1;
    }
    if !other_speaker {
        out.truncate(before);
    }
}

/// The speaker label a line starts with, if any: whether it is the other party's, and where
/// that party's turn ends in the line (the whole line, or the bracket that closes an opening
/// one).
fn label(line: &str) -> Option<(bool, usize)> {
    let body = line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '(' | '（' | '[' | '【' | '-' | '*' | '>')
    });
    let opened = line.len() - body.len();
    let close = match line
        .get(..opened)
        .and_then(|o| o.chars().rev().find(|c| !c.is_whitespace()))
    {
        Some('(') => Some(')'),
        Some('（') => Some('）'),
        Some('[') => Some(']'),
        Some('【') => Some('】'),
        _ => None,
    };
    let colon = body
        .char_indices()
        .take_while(|&(i, _)| i <= MAX_LABEL)
        .find(|&(_, c)| c == ':' || c == '：')
        .map(|(i, _)| i)?;
    let label = body.get(..colon).unwrap_or("").trim();
    // A speaker label is a name or a role: short, no sentence inside it.
    let words = label.split_whitespace().count();
    if label.is_empty() || words > 4 || label.contains(['.', ',', '，', '。', '!', '?']) {
        return None;
    }
    // A parenthesis after the role (`Consumer (Ms. Ruiz)`, `客户（女）`).
    let role = match label.find(['(', '（']) {
        Some(p) if label.ends_with([')', '）']) => label.get(..p).unwrap_or("").trim_end(),
        _ => label,
    };
    let role = SPEAKING
        .iter()
        .find_map(|v| role.strip_suffix(v))
        .unwrap_or(role)
        .trim_end();
    if !ROLES.iter().any(|r| r.eq_ignore_ascii_case(role)) {
        return Some((false, line.len()));
    }
    let after = opened + colon;
    let end = close
        .and_then(|c| line.get(after..)?.find(c).map(|k| after + k + c.len_utf8()))
        .unwrap_or(line.len());
    Some((true, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        other_turns(text, &mut out);
        out.iter().map(|&(s, e)| text.get(s..e).unwrap()).collect()
    }

    #[test]
    fn the_other_partys_labelled_lines() {
        let t = "Agent: Good morning.\nConsumer: you people are vultures\nAgent: I hear you.";
        assert_eq!(turns(t), ["Consumer: you people are vultures"]);
        // A bracketed question, the collector answering on the same line.
        assert_eq!(
            turns("（联系人问：他是不是在外面借钱了？）催收员：不方便说。"),
            ["（联系人问：他是不是在外面借钱了？）"]
        );
        assert_eq!(
            turns("客户（女）：你们就是骗子\n坐席：您别急"),
            ["客户（女）：你们就是骗子"]
        );
        assert_eq!(
            turns("Rep: hello\nCUSTOMER says: ur all crooks"),
            ["CUSTOMER says: ur all crooks"]
        );
    }

    #[test]
    fn the_collectors_side_and_prose_stay_judged() {
        let judged = [
            "Agent: hi\nCustomer Service: we will have you arrested",
            "坐席：您好\n客户经理：再不还就爆你通讯录",
            "Dear customer: pay now or else",
            "Note to the consumer: this is a final notice",
            "The consumer said we were liars and hung up",
        ];
        for t in judged {
            assert!(turns(t).is_empty(), "{t}");
        }
        // A label hides its own line only.
        assert_eq!(
            turns("Agent: hi\nConsumer: hi\nwe'll tell your boss"),
            ["Consumer: hi"]
        );
    }

    #[test]
    fn a_label_alone_is_not_a_conversation() {
        assert!(turns("Customer: you're a deadbeat and we'll tell your boss").is_empty());
        assert!(turns("客户：再不还就让你坐牢\n客户：听见没有").is_empty());
    }
}
