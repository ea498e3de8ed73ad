//! Turns of a transcript: the parts of a message that the other party said. A call or visit
//! transcript, or a chat export, often holds both sides (`Agent: …` / `Consumer: …`,
//! `催收员：…` / `客户：…`); the rules judge what the collector says, not what the borrower
//! or a contact answered (`Consumer: you people are vultures`).
//!
//! A turn starts a line, or follows the end of a sentence on the same line when a speaker
//! label follows (`…or what? Agent: …`), and runs to the next turn or the end of the line.
//! It is the other party's when its label is one of [`ROLES`]: the role, optionally a short
//! parenthesis (`Consumer (crying):`), optionally a verb of speaking (`联系人问：`,
//! `Consumer asks:`), then a colon; it may open with a bracket, and then ends at the bracket
//! that closes it (`（联系人问：…）催收员：…`). The label must be the role alone:
//! `Customer Service:` and `客户经理：` are the collector's side and stay judged. A line
//! without a label is the collector's, so a label never hides more than its own turn.
//!
//! A label is believed only in a conversation: a transcript (channel `call`, `visit` or
//! `im`: [`may_be_transcript`]) in which some other turn also starts with a speaker label
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

/// Pushes onto `out` the byte ranges of `text` (turns, without the line break) that are the
/// other party's, in text order, if `text` is a conversation. `cuts` is a buffer to reuse.
pub(crate) fn other_turns(text: &str, out: &mut Vec<(usize, usize)>, cuts: &mut Vec<usize>) {
    let before = out.len();
    let mut other_speaker = false;
    let mut start = 0;
    for line in text.split('\n') {
        turn_starts(line, cuts);
        for (k, &from) in cuts.iter().enumerate() {
            let to = cuts.get(k + 1).copied().unwrap_or(line.len());
            let turn = line.get(from..to).unwrap_or("");
            match label(turn) {
                Some((true, end)) => {
                    out.push((start + from, start + from + end));
                    // The collector answering after the bracket, in the same turn.
                    other_speaker |=
                        end < turn.len() && label(turn.get(end..).unwrap_or("")).is_some();
                }
                Some((false, _)) => other_speaker = true,
                None => {}
            }
        }
        start += line.len() + 1;
    }
    if !other_speaker {
        out.truncate(before);
    }
}

/// Where the turns of a line start: the line's start, and after the end of a sentence where
/// a speaker label follows (`…or what? Agent: I can't tell you…`), as some transcripts run
/// a whole call on one line.
fn turn_starts(line: &str, cuts: &mut Vec<usize>) {
    cuts.clear();
    cuts.push(0);
    let mut ended = false;
    for (i, c) in line.char_indices() {
        if matches!(c, '.' | '?' | '!' | '。' | '？' | '！') {
            ended = true;
            continue;
        }
        // Closing a bracket or a quotation ends the sentence with it.
        if ended && matches!(c, ')' | '）' | ']' | '】' | '"' | '”' | '’' | '」') {
            continue;
        }
        if ended && !c.is_whitespace() {
            if line.get(i..).and_then(label).is_some() {
                cuts.push(i);
            }
            ended = false;
        }
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
        other_turns(text, &mut out, &mut Vec::new());
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
    fn turns_on_one_line() {
        let t = "Consumer: So are you gonna sue me or what? Agent: I can't tell you we will. Consumer: ok.";
        assert_eq!(
            turns(t),
            [
                "Consumer: So are you gonna sue me or what? ",
                "Consumer: ok."
            ]
        );
        assert_eq!(
            turns("客户：你们是不是骗子？催收员：不是的，您可以核实。"),
            ["客户：你们是不是骗子？"]
        );
        // A sentence that merely mentions a role is not a turn.
        assert!(turns("Agent: hi. The consumer: she hung up.").is_empty());
    }

    #[test]
    fn a_label_alone_is_not_a_conversation() {
        assert!(turns("Customer: you're a deadbeat and we'll tell your boss").is_empty());
        assert!(turns("客户：再不还就让你坐牢\n客户：听见没有").is_empty());
    }
}
