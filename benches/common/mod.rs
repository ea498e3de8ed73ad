//! Deterministic data for the benchmarks, shared by `benches/*.rs` and
//! `examples/bench_report.rs` (included with `#[path]`): message corpora (Chinese and English,
//! SMS and e-mail lengths), the phrase list (the packs' own phrases plus generated variants),
//! contact histories, JSON Lines event logs, and the `naive_scan` baseline for contacts.
//!
//! Everything comes from a seeded generator: the same seed gives the same bytes on every
//! machine, so figures from different runs measure the same work.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;
use collectguard::{
    AddressKind, Borrower, Channel, Consent, ConsentScope, ContactAttempt, Decision, Direction,
    Engine, EngineBuilder, Event, History, OptOut, Outcome, Party, Relation, Scratch,
};

// ---------------------------------------------------------------------------------------
// Random numbers

/// SplitMix64: tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

// ---------------------------------------------------------------------------------------
// Message corpus

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// One text message: about 70 Chinese characters or 160 Latin ones.
    Sms,
    /// A letter-length e-mail: about 1,500 Chinese characters or 2,500 Latin ones.
    Email,
}

impl Size {
    /// Target length in characters.
    fn chars(self, lang: Lang) -> usize {
        match (self, lang) {
            (Size::Sms, Lang::Zh) => 70,
            (Size::Sms, Lang::En) => 160,
            (Size::Email, Lang::Zh) => 1500,
            (Size::Email, Lang::En) => 2500,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Message {
    pub lang: Lang,
    pub size: Size,
    pub text: String,
}

const ZH_NAMES: &[&str] = &[
    "张先生",
    "李女士",
    "王先生",
    "刘女士",
    "陈先生",
    "杨女士",
    "赵先生",
    "黄女士",
];
const ZH_PLATFORMS: &[&str] = &["安心借", "小额贷", "信用卡中心", "消费金融", "分期商城"];
const ZH_SENTENCES: &[&str] = &[
    "您好，{name}，您在{platform}的借款{amount}元已于{date}到期，请及时还款。",
    "如已还款请忽略本短信。",
    "如有疑问请拨打客服热线400-800-{n4}。",
    "逾期将产生罚息，并可能影响您的个人信用记录。",
    "为避免产生额外费用，请尽快处理。",
    "您可以通过官方APP或公众号查看账单详情并在线还款。",
    "我司将依法维护自身合法权益。",
    "如您目前还款有困难，可以联系我们协商分期还款方案。",
    "本月账单金额为{amount}元，最后还款日为{date}。",
    "感谢您一直以来对我们的支持与信任。",
    "请确认您的还款账户余额充足，系统将于今晚自动扣款。",
    "我们的工作时间为每天上午九点至晚上八点。",
    "若您对账单有异议，请在收到本通知之日起三十日内提出。",
    "您的还款记录将按规定报送征信系统。",
    "退订回T。",
    "如需人工服务，请回复1，我们会尽快与您联系。",
    "请勿向任何个人账户转账，谨防诈骗。",
    "您也可以前往就近网点办理还款手续。",
];
const EN_NAMES: &[&str] = &[
    "Ms. Smith",
    "Mr. Johnson",
    "Ms. Garcia",
    "Mr. Brown",
    "Ms. Davis",
    "Mr. Miller",
];
const EN_AGENCIES: &[&str] = &[
    "Acme Recovery",
    "First Street Collections",
    "Harbor Credit Services",
];
const EN_SENTENCES: &[&str] = &[
    "Hello {name}, this is {agency} about your account ending in {n4}.",
    "This is an attempt to collect a debt and any information obtained will be used for that purpose.",
    "Your payment of ${amount} was due on {date}.",
    "Please call us at (800) 555-{n4} between 8 a.m. and 8 p.m. Eastern.",
    "Reply STOP to opt out of text messages.",
    "You may dispute all or part of the debt within 30 days of receiving this notice.",
    "If you have already paid, please disregard this message.",
    "We can set up a payment plan that fits your budget.",
    "Log in to the customer portal to review your statement.",
    "Our records show a balance of ${amount} as of {date}.",
    "If you are represented by an attorney, please let us know their contact details.",
    "Thank you for your prompt attention to this matter.",
    "We accept payments by card, bank transfer or check.",
    "Calls may be recorded for quality and training purposes.",
    "To request validation information, write to us at the address below.",
    "Federal law limits how and when we may contact you.",
];

/// Filler a careless (or evasive) writer puts between the characters of a phrase.
const ZH_FILLERS: &[&str] = &[" ", "*", "-", "·", "  "];

fn fill_template(t: &str, lang: Lang, rng: &mut Rng) -> String {
    let mut s = t.to_string();
    let (names, places): (&[&str], &[&str]) = match lang {
        Lang::Zh => (ZH_NAMES, ZH_PLATFORMS),
        Lang::En => (EN_NAMES, EN_AGENCIES),
    };
    if s.contains("{name}") {
        let name = *rng.pick(names);
        s = s.replace("{name}", name);
    }
    if s.contains("{platform}") {
        let place = *rng.pick(places);
        s = s.replace("{platform}", place);
    }
    if s.contains("{agency}") {
        let place = *rng.pick(places);
        s = s.replace("{agency}", place);
    }
    if s.contains("{amount}") {
        s = s.replace(
            "{amount}",
            &format!("{}.{:02}", rng.range(100, 50000), rng.below(100)),
        );
    }
    if s.contains("{date}") {
        let d = match lang {
            Lang::Zh => format!("{}月{}日", rng.range(1, 12), rng.range(1, 28)),
            Lang::En => format!("{}/{}/2026", rng.range(1, 12), rng.range(1, 28)),
        };
        s = s.replace("{date}", &d);
    }
    if s.contains("{n4}") {
        s = s.replace("{n4}", &format!("{:04}", rng.below(10000)));
    }
    s
}

/// A PRC resident identity number with a valid check digit (GB 11643, ISO 7064 MOD 11-2).
pub fn resident_id(rng: &mut Rng) -> String {
    let regions = ["110105", "310104", "440305", "510107", "330106"];
    let mut s = format!(
        "{}{}{:02}{:02}{:03}",
        rng.pick(&regions),
        rng.range(1960, 2004),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.below(1000)
    );
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = s
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    s.push(b"10X98765432"[(sum % 11) as usize] as char);
    s
}

/// A bank card number with a valid Luhn check digit.
pub fn card_number(rng: &mut Rng) -> String {
    let mut digits: Vec<u32> = vec![6, 2, 2, 2];
    for _ in 0..11 {
        digits.push(rng.below(10) as u32);
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

fn mobile(rng: &mut Rng) -> String {
    format!("1{}{:09}", rng.range(3, 9), rng.below(1_000_000_000))
}

fn is_zh(phrase: &str) -> bool {
    !phrase.is_ascii()
}

/// A phrase as a writer might disguise it: filler between Chinese characters, capitals or
/// full-width letters in English.
fn disguise(phrase: &str, rng: &mut Rng) -> String {
    if is_zh(phrase) {
        let filler = rng.pick(ZH_FILLERS);
        let chars: Vec<String> = phrase.chars().map(String::from).collect();
        chars.join(filler)
    } else if rng.chance(0.5) {
        phrase.to_uppercase()
    } else {
        phrase
            .chars()
            .map(|c| match c {
                'a'..='z' => char::from_u32(c as u32 - 'a' as u32 + 0xff41).unwrap_or(c),
                _ => c,
            })
            .collect()
    }
}

/// One message: benign sentences up to the length, and with some probability a phrase of
/// the list (sometimes disguised) and personal data.
pub fn message(lang: Lang, size: Size, phrases: &[String], rng: &mut Rng) -> Message {
    let target = size.chars(lang);
    let pool = match lang {
        Lang::Zh => ZH_SENTENCES,
        Lang::En => EN_SENTENCES,
    };
    let mut sentences: Vec<String> = Vec::new();
    let mut len = 0;
    while len < target {
        let template = *rng.pick(pool);
        let s = fill_template(template, lang, rng);
        len += s.chars().count() + 1;
        sentences.push(s);
    }
    let hits = match size {
        Size::Sms => usize::from(rng.chance(0.15)),
        Size::Email => usize::from(rng.chance(0.3)) + usize::from(rng.chance(0.1)),
    };
    let own: Vec<&String> = phrases
        .iter()
        .filter(|p| is_zh(p) == (lang == Lang::Zh))
        .collect();
    for _ in 0..hits {
        if own.is_empty() {
            break;
        }
        let p = rng.pick(&own);
        let p = if rng.chance(0.3) {
            disguise(p, rng)
        } else {
            (*p).clone()
        };
        let at = rng.below(sentences.len());
        let s = match lang {
            Lang::Zh => format!("{p}！"),
            Lang::En => format!("And {p}."),
        };
        sentences.insert(at, s);
    }
    if lang == Lang::Zh {
        if rng.chance(0.1) {
            let id = resident_id(rng);
            sentences.push(format!("借款人身份证号{id}。"));
        }
        if rng.chance(0.05) {
            let card = card_number(rng);
            sentences.push(format!("还款卡号{card}。"));
        }
        if rng.chance(0.2) {
            let m = mobile(rng);
            sentences.push(format!("联系人电话{m}。"));
        }
    } else if rng.chance(0.03) {
        sentences.push(format!(
            "Reference SSN {:03}-{:02}-{:04}.",
            rng.range(100, 665),
            rng.range(1, 99),
            rng.range(1, 9999)
        ));
    }
    let sep = match lang {
        Lang::Zh => "",
        Lang::En => " ",
    };
    Message {
        lang,
        size,
        text: sentences.join(sep),
    }
}

/// `count` messages of one language and size.
pub fn messages(
    lang: Lang,
    size: Size,
    count: usize,
    phrases: &[String],
    seed: u64,
) -> Vec<Message> {
    let mut rng = Rng::new(seed ^ ((lang as u64) << 8) ^ ((size as u64) << 16));
    (0..count)
        .map(|_| message(lang, size, phrases, &mut rng))
        .collect()
}

/// The mixed corpus of the report: for each language and size, messages adding up to about
/// `bytes_each` bytes.
pub fn corpus(bytes_each: usize, phrases: &[String], seed: u64) -> Vec<Message> {
    let mut out = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for size in [Size::Sms, Size::Email] {
            let mut rng = Rng::new(seed ^ ((lang as u64) << 8) ^ ((size as u64) << 16));
            let mut total = 0;
            while total < bytes_each {
                let m = message(lang, size, phrases, &mut rng);
                total += m.text.len();
                out.push(m);
            }
        }
    }
    out
}

pub fn total_bytes(messages: &[Message]) -> usize {
    messages.iter().map(|m| m.text.len()).sum()
}

// ---------------------------------------------------------------------------------------
// Phrases

const ZH_WHO: &[&str] = &[
    "你",
    "你家人",
    "你全家",
    "你老婆",
    "你父母",
    "你孩子",
    "你同事",
    "你领导",
    "你朋友",
    "你邻居",
    "你单位",
    "你老公",
];
const ZH_WHAT: &[&str] = &[
    "等着坐牢",
    "会被抓走",
    "上征信黑名单",
    "名声扫地",
    "出门小心点",
    "走着瞧",
    "别想好过",
    "丢人现眼",
    "不得好死",
    "会被曝光",
    "收到传票",
    "吃官司",
    "被公安带走",
    "被法院拘留",
    "祸及子女",
    "没脸见人",
    "工作保不住",
    "会被开除",
    "天天有人上门",
    "被全网通缉",
    "房子被查封",
    "户口被注销",
    "出不了国",
    "坐不了高铁",
    "孩子上不了学",
    "会后悔的",
    "死路一条",
    "就是老赖",
    "骗子一个",
    "丢尽了脸",
];
const EN_WHO: &[&str] = &[
    "you",
    "your family",
    "your wife",
    "your husband",
    "your kids",
    "your boss",
    "your coworkers",
    "your neighbors",
    "your parents",
    "your friends",
    "your landlord",
    "your church",
];
const EN_WHAT: &[&str] = &[
    "will be arrested",
    "will go to jail",
    "will be sued tomorrow",
    "will lose everything",
    "will regret this",
    "are a deadbeat",
    "are a thief",
    "will be exposed online",
    "will be fired",
    "will be deported",
    "will be evicted",
    "will be visited tonight",
    "are going to prison",
    "will hear from the police",
    "will be served today",
    "are a disgrace",
    "will be shamed publicly",
    "will get hurt",
    "better watch out",
    "will lose custody",
    "will be reported to immigration",
    "are a liar",
    "will be in handcuffs",
    "will face criminal charges",
    "will be garnished today",
    "are worthless",
    "will be ruined",
    "will be on the news",
    "will be blacklisted",
    "have been warned",
];

const ZH_WHEN: &[&str] = &["", "马上", "迟早", "今天就"];
const EN_WHEN: &[&str] = &["", " today", " tonight", " soon"];

/// `n` distinct phrase variants of one language, in the style of the packs' own lists
/// (fewer if the combinations run out: 1,440 per language).
pub fn generated_phrases(lang: Lang, n: usize) -> Vec<String> {
    match lang {
        Lang::Zh => ZH_WHEN
            .iter()
            .flat_map(|t| {
                ZH_WHO
                    .iter()
                    .flat_map(move |w| ZH_WHAT.iter().map(move |x| format!("{w}{t}{x}")))
            })
            .take(n)
            .collect(),
        Lang::En => EN_WHEN
            .iter()
            .flat_map(|t| {
                EN_WHO
                    .iter()
                    .flat_map(move |w| EN_WHAT.iter().map(move |x| format!("{w} {x}{t}")))
            })
            .take(n)
            .collect(),
    }
}

/// How many generated variants are added to each language's pack.
pub const GENERATED_PHRASES: usize = 1000;

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The pack that screens messages of a language.
pub fn pack_of(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "cn",
        Lang::En => "us",
    }
}

/// A rule file adding one text rule with the generated phrases to `pack`.
pub fn generated_rule_file(pack: &str, generated: &[String]) -> String {
    let list: Vec<String> = generated.iter().map(|p| toml_str(p)).collect();
    let fire = toml_str(&format!(
        "well {}",
        generated.first().map_or("", String::as_str)
    ));
    format!(
        "[[rule]]\nid = \"{pack}.bench-generated\"\nkind = \"text\"\ncategory = \"abuse\"\nseverity = \"review\"\n\
         citation = \"benchmark\"\nconfidence = \"S\"\nmessage = \"generated phrase `{{phrase}}`\"\n\
         explain = {{ what = \"w\", why = \"y\", instead = \"i\" }}\n\
         params = {{ phrases = [{}] }}\n\
         [[rule.example]]\nexpect = \"review\"\ntext = {fire}\n\
         [[rule.example]]\nexpect = \"allow\"\ntext = \"hello\"\n",
        list.join(", ")
    )
}

/// The rule files of a pack with the generated phrases as one more file: the pack's own
/// files as the repository has them (the same files the crate embeds) and
/// `<pack>/bench-generated.toml`. Given to an [`EngineBuilder`], they replace the embedded
/// pack, so the generated phrases join the pack's own automaton.
pub fn pack_with_generated(lang: Lang, generated: &[String]) -> Vec<(String, String)> {
    let pack = pack_of(lang);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules")
        .join(pack);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the pack's folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .to_string();
            (
                format!("{pack}/{name}"),
                std::fs::read_to_string(&p).expect("a rule file"),
            )
        })
        .collect();
    files.sort();
    files.push((
        format!("{pack}/bench-generated.toml"),
        generated_rule_file(pack, generated),
    ));
    files
}

/// An engine whose default pack is the language's, with `generated` phrases added to it.
pub fn lang_engine(lang: Lang, generated: &[String]) -> Engine {
    let mut b = EngineBuilder::new();
    for (path, text) in pack_with_generated(lang, generated) {
        b.rule_source(path, text);
    }
    b.pack(pack_of(lang));
    b.build()
        .expect("the pack with the generated phrases builds")
}

// ---------------------------------------------------------------------------------------
// Contacts

const US_ZONES: &[Tz] = &[
    chrono_tz::America::New_York,
    chrono_tz::America::Chicago,
    chrono_tz::America::Denver,
    chrono_tz::America::Los_Angeles,
    chrono_tz::America::Phoenix,
];

/// One contact check: a borrower, the 50 events before the attempt (as raw events for the
/// naive baseline and as a ledger for the engine) and the attempt.
#[derive(Debug, Clone)]
pub struct Case {
    pub borrower: Borrower,
    pub events: Vec<Event>,
    pub history: History,
    pub attempt: ContactAttempt,
}

/// The start of the generated timelines.
pub fn epoch() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T00:00:00Z")
        .expect("a valid time")
        .with_timezone(&Utc)
}

fn random_contact(id: String, borrower: &str, at: DateTime<Utc>, rng: &mut Rng) -> ContactAttempt {
    let channel = match rng.below(20) {
        0..=11 => Channel::Call,
        12..=16 => Channel::Sms,
        _ => Channel::Email,
    };
    let debts: &[&str] = match rng.below(4) {
        0 | 1 => &["d1"],
        2 => &["d2"],
        _ => &["d1", "d2"],
    };
    let mut c = ContactAttempt::new(id, borrower, at, channel).with_debts(debts.iter().copied());
    if rng.chance(0.08) {
        let relation = *rng.pick(&[Relation::Family, Relation::Employer, Relation::Friend]);
        c = c
            .to(Party::ThirdParty {
                relation,
                designated: rng.chance(0.5),
            })
            .with_address(
                format!("+1212555{:04}", rng.below(20)),
                AddressKind::Personal,
            );
    } else {
        let kind = if rng.chance(0.1) {
            AddressKind::Work
        } else {
            AddressKind::Personal
        };
        let addr = match channel {
            Channel::Email => format!("{borrower}@example.com"),
            _ => format!("+1646555{:04}", rng.below(3)),
        };
        c = c.with_address(addr, kind);
    }
    if rng.chance(0.05) {
        c = c.with_direction(Direction::Inbound);
    }
    c
}

fn recorded_outcome(channel: Channel, rng: &mut Rng) -> Outcome {
    match channel {
        Channel::Call => match rng.below(10) {
            0..=4 => Outcome::NoAnswer,
            5 | 6 => Outcome::Voicemail,
            7 => Outcome::Conversation,
            _ => Outcome::NotConnected,
        },
        _ => {
            if rng.chance(0.95) {
                Outcome::Delivered
            } else {
                Outcome::Failed
            }
        }
    }
}

/// `n` contact checks, each with `history_len` events over the 30 days before the attempt.
/// Attempts are planned (no outcome), at a local hour from 7:00 to 22:59.
pub fn contact_cases(n: usize, history_len: usize, seed: u64) -> Vec<Case> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("b{i}");
        let mut zones = vec![*rng.pick(US_ZONES)];
        if rng.chance(0.2) {
            zones.push(*rng.pick(US_ZONES));
            zones.dedup();
        }
        let borrower = Borrower {
            id: id.clone(),
            time_zones: zones.clone(),
            packs: None,
        };
        let start = epoch() + Duration::days(rng.below(300) as i64);
        let span = 30 * 24 * 3600;
        let mut times: Vec<i64> = (0..history_len).map(|_| rng.below(span) as i64).collect();
        times.sort_unstable();
        let mut events = Vec::with_capacity(history_len);
        for (k, t) in times.iter().enumerate() {
            let at = start + Duration::seconds(*t);
            let e = match rng.below(50) {
                0 => Event::Consent(Consent {
                    borrower: id.clone(),
                    at,
                    scope: ConsentScope::CallFrequency,
                    channel: None,
                    until: None,
                }),
                1 => Event::OptOut(OptOut {
                    borrower: id.clone(),
                    at,
                    channel: Channel::Email,
                    address: Some(format!("{id}@example.com")),
                }),
                _ => {
                    let mut c = random_contact(format!("{id}-{k}"), &id, at, &mut rng);
                    c.outcome = Some(recorded_outcome(c.channel, &mut rng));
                    Event::Contact(c)
                }
            };
            events.push(e);
        }
        let last = start + Duration::seconds(*times.last().unwrap_or(&0));
        // The attempt: after the last event, at a local business-ish hour.
        let mut at = last + Duration::minutes(rng.range(10, 36 * 60) as i64);
        let local_hour = at.with_timezone(&zones[0]).hour() as i64;
        let want = rng.range(7, 22) as i64;
        at += Duration::hours((want - local_hour).rem_euclid(24));
        let attempt = random_contact(format!("{id}-next"), &id, at, &mut rng);
        let mut history = History::new(&borrower);
        for e in &events {
            history.record(e).expect("generated events are in order");
        }
        out.push(Case {
            borrower,
            events,
            history,
            attempt,
        });
    }
    out
}

fn local_day(zone: Tz, at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// The naive baseline: the same kind of rules as Regulation F, written the obvious way, with
/// every rule re-scanning the borrower's whole raw event list and converting every time it
/// looks at to local time. Returns the decision only.
///
/// Rules: quiet hours 08:00–21:00 in every zone (unless a call-outside-hours consent is in
/// force); cease and attorney representation stop collection contacts; opt-outs by channel
/// and address; at most 7 counted calls per debt in 7 local calendar days (calls within 7
/// days of a call-frequency consent do not count); no call within 7 days after a
/// conversation about the debt; work addresses need workplace consent; a third party may be
/// contacted once.
pub fn naive_scan(borrower: &Borrower, events: &[Event], a: &ContactAttempt) -> Decision {
    let consent_in_force = |scope: ConsentScope, at: DateTime<Utc>| {
        events.iter().any(|e| match e {
            Event::Consent(c) => c.scope == scope && c.at <= at && c.until.is_none_or(|u| at < u),
            _ => false,
        })
    };
    let mut deny = false;
    // Quiet hours.
    for zone in &borrower.time_zones {
        let h = a.at.with_timezone(zone).hour();
        if !(8..21).contains(&h) && !consent_in_force(ConsentScope::CallOutsideHours, a.at) {
            deny = true;
        }
    }
    // Cease and representation.
    for e in events {
        match e {
            Event::Cease(c) if c.at <= a.at => deny = true,
            Event::Represented(r) if r.at <= a.at && a.to == Party::Borrower => deny = true,
            _ => {}
        }
    }
    // Opt-outs.
    for e in events {
        if let Event::OptOut(o) = e {
            if o.channel == a.channel
                && o.address
                    .as_deref()
                    .is_none_or(|x| Some(x) == a.address.as_deref())
                && !events.iter().any(|e| {
                    matches!(e, Event::Consent(c) if c.scope == ConsentScope::Channel
                        && c.channel == Some(a.channel) && c.at > o.at)
                })
            {
                deny = true;
            }
        }
    }
    // Call frequency and conversation cool-off, per debt.
    if a.channel == Channel::Call && a.direction == Direction::Outbound && a.to == Party::Borrower {
        let zone = borrower.time_zones[0];
        let today = local_day(zone, a.at);
        let attempt_consented = events.iter().any(|e| {
            matches!(e, Event::Consent(c) if c.scope == ConsentScope::CallFrequency
                && c.at <= a.at && (today - local_day(zone, c.at)).num_days() < 7)
        });
        for debt in a.debt_keys() {
            let mut calls = 0;
            for e in events {
                let Event::Contact(c) = e else { continue };
                if c.channel != Channel::Call
                    || c.direction != Direction::Outbound
                    || c.to != Party::Borrower
                    || c.outcome == Some(Outcome::NotConnected)
                    || !c.debt_keys().any(|d| d == debt)
                {
                    continue;
                }
                let day = local_day(zone, c.at);
                if (today - day).num_days() >= 7 {
                    continue;
                }
                let consented = events.iter().any(|e| {
                    matches!(e, Event::Consent(k) if k.scope == ConsentScope::CallFrequency
                        && k.at <= c.at && (day - local_day(zone, k.at)).num_days() < 7)
                });
                if !consented {
                    calls += 1;
                }
            }
            if calls >= 7 && !attempt_consented {
                deny = true;
            }
            for e in events {
                let Event::Contact(c) = e else { continue };
                if c.outcome == Some(Outcome::Conversation)
                    && c.channel == Channel::Call
                    && c.debt_keys().any(|d| d == debt)
                    && (today - local_day(zone, c.at)).num_days() < 7
                    && !attempt_consented
                {
                    deny = true;
                }
            }
        }
    }
    // Workplace.
    if a.address_kind == Some(AddressKind::Work) && !consent_in_force(ConsentScope::Workplace, a.at)
    {
        deny = true;
    }
    // Third parties: once.
    if let Party::ThirdParty { .. } = a.to {
        let before = events
            .iter()
            .filter(|e| matches!(e, Event::Contact(c) if c.to == a.to && c.address == a.address))
            .count();
        if before > 0 && !consent_in_force(ConsentScope::ThirdParty, a.at) {
            deny = true;
        }
    }
    if deny {
        Decision::Deny
    } else {
        Decision::Allow
    }
}

// ---------------------------------------------------------------------------------------
// JSON Lines event logs

/// The JSON form of an event, as `collectguard check` reads it.
pub fn event_line(e: &Event) -> String {
    serde_json::to_string(e).expect("events serialize")
}

/// A contact log: `borrowers` declared first (a mix of US, Massachusetts and Chinese
/// borrowers), then `days` days of events in time order, about `per_day` events per borrower
/// per day on average; a third of the SMS and a few e-mails carry text.
pub fn jsonl(borrowers: usize, days: usize, per_day: f64, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let sms = messages(
        Lang::Zh,
        Size::Sms,
        64,
        &generated_phrases(Lang::Zh, 200),
        seed ^ 1,
    );
    let sms_en = messages(
        Lang::En,
        Size::Sms,
        64,
        &generated_phrases(Lang::En, 200),
        seed ^ 2,
    );
    let mut out = String::new();
    let mut people = Vec::with_capacity(borrowers);
    for i in 0..borrowers {
        let (zones, packs, zh): (Vec<Tz>, Vec<String>, bool) = match rng.below(10) {
            0..=2 => (vec![chrono_tz::Asia::Shanghai], vec!["cn".into()], true),
            3 => (
                vec![chrono_tz::America::New_York],
                vec!["us".into(), "us-ma".into()],
                false,
            ),
            _ => (vec![*rng.pick(US_ZONES)], vec!["us".into()], false),
        };
        let b = Borrower {
            id: format!("b{i:07}"),
            time_zones: zones,
            packs: Some(packs),
        };
        out.push_str(&event_line(&Event::Borrower(b.clone())));
        out.push('\n');
        people.push((b, zh));
    }
    let total = (borrowers as f64 * days as f64 * per_day) as usize;
    let span = (days * 24 * 3600) as u64;
    let mut times: Vec<(u64, usize)> = (0..total)
        .map(|_| (rng.next_u64() % span, rng.below(borrowers.max(1))))
        .collect();
    times.sort_unstable();
    for (k, (t, who)) in times.into_iter().enumerate() {
        let (b, zh) = &people[who];
        let at = epoch() + Duration::seconds(t as i64);
        let e = if rng.chance(0.02) {
            Event::Consent(Consent {
                borrower: b.id.clone(),
                at,
                scope: ConsentScope::CallFrequency,
                channel: None,
                until: None,
            })
        } else {
            let mut c = random_contact(format!("c{k:08}"), &b.id, at, &mut rng);
            if rng.chance(0.9) {
                c.outcome = Some(recorded_outcome(c.channel, &mut rng));
            }
            if c.channel == Channel::Sms && rng.chance(0.33) {
                let pool = if *zh { &sms } else { &sms_en };
                c.text = Some(rng.pick(pool).text.clone());
            }
            Event::Contact(c)
        };
        out.push_str(&event_line(&e));
        out.push('\n');
    }
    out
}

/// Memory in use by this process: (resident now, peak resident), in bytes, from
/// `/proc/self/status` (Linux); zeros elsewhere.
pub fn rss() -> (u64, u64) {
    let Ok(s) = std::fs::read_to_string("/proc/self/status") else {
        return (0, 0);
    };
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

// ---------------------------------------------------------------------------------------
// Text contenders

/// One language's contenders, over the same phrases: the language's pack with the generated
/// variants added.
pub struct LangSet {
    pub engine: Engine,
    /// Every trigger phrase of the pack (its own and the generated ones).
    pub phrases: Vec<String>,
    /// How many of them are the pack's own.
    pub own: usize,
    /// `aho-corasick` over the phrases, leftmost-longest, raw text.
    pub automaton: aho_corasick::AhoCorasick,
    /// One regex per phrase, as it reads in normalised text.
    pub regexes: Vec<regex::Regex>,
}

impl LangSet {
    pub fn new(lang: Lang) -> LangSet {
        let own = Engine::from_pack(pack_of(lang))
            .expect("the embedded pack builds")
            .bench_phrases()
            .len();
        let engine = lang_engine(lang, &generated_phrases(lang, GENERATED_PHRASES));
        let mut phrases = engine.bench_phrases();
        phrases.sort();
        phrases.dedup();
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&phrases)
            .expect("the phrases compile");
        let regexes = phrases
            .iter()
            .map(|p| {
                regex::Regex::new(&regex::escape(&Engine::bench_normalize(p, true)))
                    .expect("an escaped phrase compiles")
            })
            .collect();
        LangSet {
            engine,
            phrases,
            own,
            automaton,
            regexes,
        }
    }
}

/// The text contenders: each message is judged under its language's pack (Chinese under
/// `cn`, English under `us`), by every contender with the same phrases.
pub struct TextContenders {
    pub zh: LangSet,
    pub en: LangSet,
}

impl TextContenders {
    pub fn new() -> TextContenders {
        TextContenders {
            zh: LangSet::new(Lang::Zh),
            en: LangSet::new(Lang::En),
        }
    }

    pub fn set(&self, lang: Lang) -> &LangSet {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Every phrase of both languages (for generating messages).
    pub fn all_phrases(&self) -> Vec<String> {
        let mut all = self.zh.phrases.clone();
        all.extend(self.en.phrases.iter().cloned());
        all
    }

    /// Full screening, reusing one [`Scratch`]; returns how many messages were not allowed.
    pub fn collectguard(&self, messages: &[Message], scratch: &mut Scratch) -> usize {
        messages
            .iter()
            .filter(|m| {
                let channel = match m.size {
                    Size::Sms => Channel::Sms,
                    Size::Email => Channel::Email,
                };
                let v = self
                    .set(m.lang)
                    .engine
                    .check_text_with(&m.text, channel, Party::Borrower, scratch)
                    .expect("the default pack is set");
                v.decision != Decision::Allow
            })
            .count()
    }

    /// Every phrase occurrence in the raw text; returns how many.
    pub fn raw_automaton(&self, messages: &[Message]) -> usize {
        messages
            .iter()
            .map(|m| self.set(m.lang).automaton.find_iter(&m.text).count())
            .sum()
    }

    /// Each regex in turn over each (already normalised) text; returns how many matches.
    pub fn naive_regex(&self, messages: &[Message], normalized: &[String]) -> usize {
        messages
            .iter()
            .zip(normalized)
            .map(|(m, t)| {
                self.set(m.lang)
                    .regexes
                    .iter()
                    .map(|r| r.find_iter(t).count())
                    .sum::<usize>()
            })
            .sum()
    }
}

/// `rustrict` on each message; returns how many it finds inappropriate.
pub fn rustrict(messages: &[Message]) -> usize {
    messages
        .iter()
        .filter(|m| {
            rustrict::Censor::from_str(&m.text)
                .analyze()
                .is(rustrict::Type::INAPPROPRIATE)
        })
        .count()
}

/// The texts as the engine's matcher reads them (for the naive baseline; not timed).
pub fn normalized(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| Engine::bench_normalize(&m.text, false))
        .collect()
}

/// Screens a JSON Lines log as `collectguard check --jobs N` does: every line through a
/// [`collectguard::ParallelScreener`], every outcome written as a JSON line into `out`.
/// Returns (verdicts, errors).
pub fn check_jsonl(engine: &Engine, input: &str, jobs: usize, out: &mut Vec<u8>) -> (usize, usize) {
    use collectguard::{ParallelScreener, Screener};
    let mut bulk =
        ParallelScreener::new(&Screener::new(engine.clone()), jobs).expect("threads start");
    let s = bulk
        .screen_reader_json(input.as_bytes(), &mut *out, |_| {})
        .expect("reading from and writing to memory cannot fail");
    (s.verdicts, s.errors)
}
