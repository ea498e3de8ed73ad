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
//!
//! The collector's own label is the transcriber's note, not something said: when it is one
//! of [`COLLECTOR_ROLES`] (`催收员：`, `Collector:`), the phrase rules do not read it, so a
//! transcript of a call to a relative does not tell them of the debt by its label alone. Any
//! other label is read like the line it starts.

/// Speaker labels of the party the collector is talking to: the borrower, and a relative,
/// colleague or contact who answers the phone or the door. Compared with the label
/// lower-cased (ASCII). A short Chinese label naming a parent or spouse by the family name
/// (`刘母：`, `王父：`, `张妻：`) is one too ([`kin_label`]).
pub(crate) const ROLES: [&str; 89] = [
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
    // Session 7: whoever answers for the borrower (`同事：在啊，你哪位？`, `HR: He does.`)
    "同事",
    "邻居",
    "朋友",
    "母亲",
    "父亲",
    "妻子",
    "丈夫",
    "老婆",
    "老公",
    "爱人",
    "家人",
    "亲属",
    "亲戚",
    "前台",
    "接听人",
    "接听者",
    "人事",
    "室友",
    "hr",
    "receptionist",
    "front desk",
    "coworker",
    "co-worker",
    "colleague",
    "neighbor",
    "neighbour",
    "mother",
    "father",
    "mom",
    "dad",
    "wife",
    "husband",
    "spouse",
    "relative",
    "friend",
    "roommate",
    "third party",
    // Session 10: `CONTACT: Is this about money he owes you? AGENT: …`
    "contact",
    "emergency contact",
    "reference",
    "sister",
    "brother",
    "grandmother",
    // Session 13: `Son: He's not here.`; `奶奶：他又欠钱了？` (not `Man:` or `Woman:`, which name
    // the collector at a door as often as whoever answers)
    "son",
    "daughter",
    "aunt",
    "uncle",
    "grandfather",
    "grandma",
    "grandpa",
    "landlord",
    "landlady",
    "儿子",
    "女儿",
    "奶奶",
    "爷爷",
    "外婆",
    "外公",
    "姐姐",
    "哥哥",
    "弟弟",
    "妹妹",
    "房东",
    "女子",
    "男子",
];

/// Speaker labels of the collector whose words the phrase rules do not read (the label, not
/// the turn it starts): they name the collector's trade (`催收员`, `Collector`), which said
/// to a relative would tell of the debt, but a transcriber wrote them.
pub(crate) const COLLECTOR_ROLES: [&str; 16] = [
    "催收员",
    "催收",
    "催收人员",
    "催收专员",
    "催收方",
    "电催员",
    "外访员",
    "外访人员",
    "collector",
    "debt collector",
    "collection agent",
    "collections agent",
    "collection rep",
    "collections rep",
    "collections",
    "collection",
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
/// other party's, in text order, if `text` is a conversation, and onto `labels` those of the
/// collector's labels of [`COLLECTOR_ROLES`] (the label and its colon). `cuts` is a buffer to
/// reuse.
pub(crate) fn other_turns(
    text: &str,
    out: &mut Vec<(usize, usize)>,
    labels: &mut Vec<(usize, usize)>,
    cuts: &mut Vec<usize>,
) {
    let before = out.len();
    let mut other_speaker = false;
    let mut start = 0;
    for line in text.split('\n') {
        turn_starts(line, cuts);
        for (k, &from) in cuts.iter().enumerate() {
            let to = cuts.get(k + 1).copied().unwrap_or(line.len());
            let turn = line.get(from..to).unwrap_or("");
            match label(turn) {
                Some(Label {
                    other: true, end, ..
                }) => {
                    out.push((start + from, start + from + end));
                    // The collector answering after the bracket, in the same turn.
                    other_speaker |=
                        end < turn.len() && label(turn.get(end..).unwrap_or("")).is_some();
                }
                Some(Label { trade, .. }) => {
                    other_speaker = true;
                    if let Some(end) = trade {
                        labels.push((start + from, start + from + end));
                    }
                }
                None => {}
            }
        }
        start += line.len() + 1;
    }
    if !other_speaker {
        out.truncate(before);
    }
}

/// Where the turns of a line start: the line's start, and after the end of a sentence or of a
/// bracketed note where a speaker label follows (`…or what? Agent: I can't tell you…`,
/// `(call transcript) CONTACT: …`), as some transcripts run a whole call on one line.
fn turn_starts(line: &str, cuts: &mut Vec<usize>) {
    cuts.clear();
    cuts.push(0);
    let mut ended = false;
    for (i, c) in line.char_indices() {
        // A transcriber's note in brackets ends like a sentence: `(call transcript) CONTACT: …`.
        if matches!(
            c,
            '.' | '?' | '!' | '。' | '？' | '！' | ')' | '）' | ']' | '】'
        ) {
            ended = true;
            continue;
        }
        // Closing a quotation ends the sentence with it (a closing bracket ends one itself).
        if ended && matches!(c, '"' | '”' | '’' | '」') {
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

/// A parent or spouse named by the family name, as court records and transcripts write them
/// (`刘母`, `王父`, `张妻`): two or three Chinese characters ending in 母, 父 or 妻.
fn kin_label(role: &str) -> bool {
    let n = role.chars().count();
    (2..=3).contains(&n)
        && role.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && role.ends_with(['母', '父', '妻'])
}

/// A speaker label that starts a line.
struct Label {
    /// Whether it is the other party's.
    other: bool,
    /// Where that party's turn ends in the line (the whole line, or the bracket that closes an
    /// opening one); the whole line for the collector's.
    end: usize,
    /// For a collector's label that is one of [`COLLECTOR_ROLES`], where the label ends (after
    /// its colon).
    trade: Option<usize>,
}

/// The speaker label a line starts with, if any.
fn label(line: &str) -> Option<Label> {
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
    let (colon, colon_char) = body
        .char_indices()
        .take_while(|&(i, _)| i <= MAX_LABEL)
        .find(|&(_, c)| c == ':' || c == '：')?;
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
    if !ROLES.iter().any(|r| r.eq_ignore_ascii_case(role)) && !kin_label(role) {
        let trade = COLLECTOR_ROLES
            .iter()
            .any(|r| r.eq_ignore_ascii_case(label))
            .then(|| opened + colon + colon_char.len_utf8());
        return Some(Label {
            other: false,
            end: line.len(),
            trade,
        });
    }
    let after = opened + colon;
    let end = close
        .and_then(|c| line.get(after..)?.find(c).map(|k| after + k + c.len_utf8()))
        .unwrap_or(line.len());
    Some(Label {
        other: true,
        end,
        trade: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        other_turns(text, &mut out, &mut Vec::new(), &mut Vec::new());
        out.iter().map(|&(s, e)| text.get(s..e).unwrap()).collect()
    }

    fn labels(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        other_turns(text, &mut Vec::new(), &mut out, &mut Vec::new());
        out.iter().map(|&(s, e)| text.get(s..e).unwrap()).collect()
    }

    #[test]
    fn relatives_and_colleagues_answering() {
        let t = "催收员：请问陈刚还在贵公司上班吗？\n同事：在啊，你哪位？\n催收员：麻烦转告他回个电话。";
        assert_eq!(turns(t), ["同事：在啊，你哪位？"]);
        assert_eq!(
            turns("催收员：阿姨您好。\n刘母：他出什么事了？\n催收员：没什么事。"),
            ["刘母：他出什么事了？"]
        );
        assert_eq!(
            turns("Agent: Is this HR?\nHR: He does. What is this regarding?"),
            ["HR: He does. What is this regarding?"]
        );
        // A contact who answers, mid-line after a transcriber's note.
        assert_eq!(
            turns(
                "(call transcript) CONTACT: Is this about money he owes you? AGENT: I can't say."
            ),
            ["CONTACT: Is this about money he owes you? "]
        );
        // Whoever picks up, named by what they are (session 13).
        assert_eq!(
            turns("Agent: Hi, may I speak with Jamal?\nSon: He's not here. Does he owe you money?\nAgent: I can only discuss that with him."),
            ["Son: He's not here. Does he owe you money?"]
        );
        // `Man:` at a door is as often the collector: judged.
        assert!(turns(
            "[Doorstep]\nMan: I'm with the county.\nFuller: What papers?\nMan: Sign today."
        )
        .is_empty());
        assert_eq!(
            turns(
                "催收员：请问小峰在家吗？\n奶奶：他又在外面欠钱了？\n催收员：麻烦您让他回个电话。"
            ),
            ["奶奶：他又在外面欠钱了？"]
        );
        // Not a kin label: too long, or not ending in 母/父/妻.
        assert!(turns("催收员：您好\n刘家大伯母：你谁").is_empty());
        assert!(turns("催收员：您好\n王姐：你谁").is_empty());
    }

    #[test]
    fn the_collectors_trade_label_is_not_read() {
        assert_eq!(
            labels("催收员：您好，找一下刘洋。\n刘母：他不在。\n 催收：谢谢。"),
            ["催收员：", " 催收："]
        );
        assert_eq!(labels("Collector: Hi, is Dana there?"), ["Collector:"]);
        // Other labels, and a trade word inside a line, are read.
        assert!(labels("坐席：您好\n客户经理：我们是催收公司").is_empty());
        assert!(labels("我们是催收：请回电").is_empty());
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
