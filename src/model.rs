//! The things the rules talk about: borrowers, their consents and opt-outs, and contact
//! attempts. These types are the serde form of the CLI's JSON contract (see `DESIGN.md`):
//! field names and enum spellings are part of that contract. Unknown fields are rejected.

use std::fmt;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{de, Deserialize, Deserializer, Serialize};

/// A borrower: whom the debt is owed by, and where they may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Borrower {
    /// Stable identifier, as used by the `borrower` field of other events.
    pub id: String,
    /// Every time zone the borrower may be in (IANA names). A contact must be convenient in
    /// all of them. The first one also defines the borrower's calendar days for counting.
    #[serde(deserialize_with = "zones::deserialize")]
    pub time_zones: Vec<Tz>,
    /// Packs that apply to this borrower; overrides the engine's default packs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packs: Option<Vec<String>>,
}

impl Borrower {
    /// A borrower in one time zone, judged by the engine's default packs.
    pub fn new(id: impl Into<String>, time_zone: Tz) -> Borrower {
        Borrower {
            id: id.into(),
            time_zones: vec![time_zone],
            packs: None,
        }
    }
}

/// One line of the input stream.
///
/// The JSON form is an object tagged by `type`. Deserializing reads the fields straight into
/// the event when `type` comes first (as every writer we know puts it, and as serializing
/// does); otherwise the object is buffered first, with the same result, only slower.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Declares a borrower (must come before the borrower's other events).
    Borrower(Borrower),
    /// The borrower consented to something the rules otherwise forbid.
    Consent(Consent),
    /// The borrower asked not to be contacted through a medium or an address.
    OptOut(OptOut),
    /// The borrower named a time of day that is inconvenient.
    Inconvenient(Inconvenient),
    /// The borrower asked the collector to stop communicating (or refused to pay).
    Cease(Cease),
    /// The borrower is represented by an attorney with respect to the debt.
    Represented(Represented),
    /// A contact attempt, planned (no `outcome`) or recorded.
    Contact(ContactAttempt),
}

impl Event {
    /// The borrower the event belongs to.
    pub fn borrower_id(&self) -> &str {
        match self {
            Event::Borrower(b) => &b.id,
            Event::Consent(e) => &e.borrower,
            Event::OptOut(e) => &e.borrower,
            Event::Inconvenient(e) => &e.borrower,
            Event::Cease(e) => &e.borrower,
            Event::Represented(e) => &e.borrower,
            Event::Contact(c) => &c.borrower,
        }
    }

    /// When the event happened; `None` for a borrower declaration.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        match self {
            Event::Borrower(_) => None,
            Event::Consent(e) => Some(e.at),
            Event::OptOut(e) => Some(e.at),
            Event::Inconvenient(e) => Some(e.at),
            Event::Cease(e) => Some(e.at),
            Event::Represented(e) => Some(e.at),
            Event::Contact(c) => Some(c.at),
        }
    }
}

/// The `type` of an event.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventType {
    Borrower,
    Consent,
    OptOut,
    Inconvenient,
    Cease,
    Represented,
    Contact,
}

impl EventType {
    /// Reads the rest of the event's fields into the variant of this type.
    fn read<'de, D: Deserializer<'de>>(self, d: D) -> Result<Event, D::Error> {
        Ok(match self {
            EventType::Borrower => Event::Borrower(Borrower::deserialize(d)?),
            EventType::Consent => Event::Consent(Consent::deserialize(d)?),
            EventType::OptOut => Event::OptOut(OptOut::deserialize(d)?),
            EventType::Inconvenient => Event::Inconvenient(Inconvenient::deserialize(d)?),
            EventType::Cease => Event::Cease(Cease::deserialize(d)?),
            EventType::Represented => Event::Represented(Represented::deserialize(d)?),
            EventType::Contact => Event::Contact(ContactAttempt::deserialize(d)?),
        })
    }
}

/// The first key of an event object: `type`, or another one (kept for the slow path).
enum FirstKey {
    Type,
    Other(String),
}

impl<'de> Deserialize<'de> for FirstKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FirstKey, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = FirstKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FirstKey, E> {
                Ok(if v == "type" {
                    FirstKey::Type
                } else {
                    FirstKey::Other(v.to_string())
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Event, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Event;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event object with a `type`")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
                match map.next_key::<FirstKey>()? {
                    None => Err(de::Error::missing_field("type")),
                    // Fast path: the other fields go straight into the variant.
                    Some(FirstKey::Type) => {
                        let ty: EventType = map.next_value()?;
                        ty.read(de::value::MapAccessDeserializer::new(map))
                    }
                    // Slow path: buffer the object, then find the type.
                    Some(FirstKey::Other(first)) => {
                        let mut fields = serde_json::Map::new();
                        fields.insert(first, map.next_value()?);
                        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                            if fields.contains_key(&k) {
                                return Err(de::Error::custom(format_args!(
                                    "duplicate field `{k}`"
                                )));
                            }
                            fields.insert(k, v);
                        }
                        let ty = fields
                            .remove("type")
                            .ok_or_else(|| de::Error::missing_field("type"))?;
                        let ty = EventType::deserialize(ty).map_err(de::Error::custom)?;
                        ty.read(serde_json::Value::Object(fields))
                            .map_err(de::Error::custom)
                    }
                }
            }
        }
        d.deserialize_map(V)
    }
}

/// What a consent covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    /// Contact outside the quiet-hours window.
    CallOutsideHours,
    /// Calls that would otherwise count toward a frequency cap (Reg F 1006.14(b)(3)(i)).
    CallFrequency,
    /// Contact at the borrower's place of work or work address.
    Workplace,
    /// Contact with third parties.
    ThirdParty,
    /// Contact through one medium (named by `channel`) the borrower had opted out of.
    Channel,
}

impl ConsentScope {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentScope::CallOutsideHours => "call_outside_hours",
            ConsentScope::CallFrequency => "call_frequency",
            ConsentScope::Workplace => "workplace",
            ConsentScope::ThirdParty => "third_party",
            ConsentScope::Channel => "channel",
        }
    }
}

/// The borrower consented, directly to the collector, to something the rules forbid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// The borrower's id.
    pub borrower: String,
    /// When consent was given.
    pub at: DateTime<Utc>,
    /// What it covers.
    pub scope: ConsentScope,
    /// With scope `channel`: the medium consented to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// When the consent ends (exclusive); open-ended when absent, though a rule may bound it
    /// (Reg F's call-frequency consent lasts 7 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

/// The borrower (or a third party, by address) asked not to be contacted through a medium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptOut {
    /// The borrower's id.
    pub borrower: String,
    /// When the request was made.
    pub at: DateTime<Utc>,
    /// The medium.
    pub channel: Channel,
    /// Only this address (phone number, e-mail address) when given; the whole medium otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A time of day the borrower said is inconvenient, in the borrower's local time.
/// The window is half-open `[from, to)` and may wrap past midnight (`22:00`–`09:00`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inconvenient {
    /// The borrower's id.
    pub borrower: String,
    /// When the borrower said so.
    pub at: DateTime<Utc>,
    /// Start of the inconvenient window, local `HH:MM`.
    #[serde(with = "hhmm")]
    pub from: NaiveTime,
    /// End of the inconvenient window (exclusive), local `HH:MM`.
    #[serde(with = "hhmm")]
    pub to: NaiveTime,
}

/// The borrower asked the collector to cease communication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cease {
    /// The borrower's id.
    pub borrower: String,
    /// When the request was received.
    pub at: DateTime<Utc>,
}

/// The collector learned that the borrower is represented by an attorney.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Represented {
    /// The borrower's id.
    pub borrower: String,
    /// When the collector learned of it.
    pub at: DateTime<Utc>,
}

/// The medium of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A telephone call (including AI voice and pre-recorded calls).
    Call,
    /// A text message.
    Sms,
    /// An e-mail.
    Email,
    /// A letter.
    Letter,
    /// An in-person visit.
    Visit,
    /// An instant message (WeChat, WhatsApp, ...).
    Im,
    /// A social-media message.
    Social,
}

impl Channel {
    /// Every channel, in declaration order.
    pub const ALL: [Channel; 7] = [
        Channel::Call,
        Channel::Sms,
        Channel::Email,
        Channel::Letter,
        Channel::Visit,
        Channel::Im,
        Channel::Social,
    ];

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Letter => "letter",
            Channel::Visit => "visit",
            Channel::Im => "im",
            Channel::Social => "social",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who started the contact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The collector reached out.
    #[default]
    Outbound,
    /// The borrower (or a third party) reached the collector.
    Inbound,
}

/// The relation of a third party to the borrower.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// A family member.
    Family,
    /// The borrower's employer.
    Employer,
    /// A colleague.
    Colleague,
    /// A friend.
    Friend,
    /// An emergency contact the borrower gave.
    EmergencyContact,
    /// A neighbour.
    Neighbor,
    /// The borrower's attorney.
    Attorney,
    /// Anyone else.
    Other,
}

impl Relation {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Family => "family",
            Relation::Employer => "employer",
            Relation::Colleague => "colleague",
            Relation::Friend => "friend",
            Relation::EmergencyContact => "emergency_contact",
            Relation::Neighbor => "neighbor",
            Relation::Attorney => "attorney",
            Relation::Other => "other",
        }
    }
}

/// Whom a contact is addressed to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "party", rename_all = "snake_case", deny_unknown_fields)]
pub enum Party {
    /// The borrower.
    #[default]
    Borrower,
    /// Someone else.
    ThirdParty {
        /// Their relation to the borrower.
        relation: Relation,
        /// Whether the borrower designated this person as a contact.
        #[serde(default)]
        designated: bool,
    },
}

impl Party {
    /// The relation, for a third party.
    pub fn relation(self) -> Option<Relation> {
        match self {
            Party::Borrower => None,
            Party::ThirdParty { relation, .. } => Some(relation),
        }
    }

    /// Whether this is the borrower's attorney.
    pub fn is_attorney(self) -> bool {
        self.relation() == Some(Relation::Attorney)
    }
}

/// What kind of address was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressKind {
    /// The person's own number or address (home, mobile).
    Personal,
    /// A work number or an employer-provided address.
    Work,
    /// Anything else.
    Other,
}

/// How a recorded attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The collector and the person spoke (or met).
    Conversation,
    /// The call rang out.
    NoAnswer,
    /// A voicemail or answering machine was reached.
    Voicemail,
    /// The call did not connect to the dialed number (busy network, invalid number).
    NotConnected,
    /// A written message was delivered.
    Delivered,
    /// A written message was not delivered.
    Failed,
}

impl Outcome {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Conversation => "conversation",
            Outcome::NoAnswer => "no_answer",
            Outcome::Voicemail => "voicemail",
            Outcome::NotConnected => "not_connected",
            Outcome::Delivered => "delivered",
            Outcome::Failed => "failed",
        }
    }
}

/// Why a contact is made; some purposes are allowed where collection is not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Ordinary collection.
    #[default]
    Collection,
    /// The one confirmation of an opt-out request.
    OptOutConfirmation,
    /// Saying that collection efforts end, after a cease request.
    CeaseAcknowledgement,
    /// Saying that a specific remedy may be, or will be, invoked.
    RemedyNotice,
    /// Asking a third party where the borrower can be reached.
    LocationInquiry,
}

impl Purpose {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Collection => "collection",
            Purpose::OptOutConfirmation => "opt_out_confirmation",
            Purpose::CeaseAcknowledgement => "cease_acknowledgement",
            Purpose::RemedyNotice => "remedy_notice",
            Purpose::LocationInquiry => "location_inquiry",
        }
    }
}

/// A contact attempt: planned when `outcome` is absent (judged as if placed at `at`),
/// recorded otherwise (audited against what came before it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactAttempt {
    /// Identifier echoed in the verdict.
    pub id: String,
    /// The borrower whose debt this is about.
    pub borrower: String,
    /// When the attempt is (or was) made.
    pub at: DateTime<Utc>,
    /// The medium.
    pub channel: Channel,
    /// Who started it.
    #[serde(default)]
    pub direction: Direction,
    /// The debts it is about; empty means one unnamed debt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub debts: Vec<String>,
    /// Whom it is addressed to.
    #[serde(default)]
    pub to: Party,
    /// The phone number, e-mail address or street address used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// What kind of address it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_kind: Option<AddressKind>,
    /// How it ended; absent for a planned attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// What was (or will be) said or written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Why the contact is made.
    #[serde(default)]
    pub purpose: Purpose,
}

impl ContactAttempt {
    /// A planned outbound attempt to the borrower about one unnamed debt.
    pub fn new(
        id: impl Into<String>,
        borrower: impl Into<String>,
        at: DateTime<Utc>,
        channel: Channel,
    ) -> ContactAttempt {
        ContactAttempt {
            id: id.into(),
            borrower: borrower.into(),
            at,
            channel,
            direction: Direction::Outbound,
            debts: Vec::new(),
            to: Party::Borrower,
            address: None,
            address_kind: None,
            outcome: None,
            text: None,
            purpose: Purpose::Collection,
        }
    }

    /// Sets the outcome (a recorded attempt).
    pub fn with_outcome(mut self, outcome: Outcome) -> ContactAttempt {
        self.outcome = Some(outcome);
        self
    }

    /// Sets the debts the attempt is about.
    pub fn with_debts<I, S>(mut self, debts: I) -> ContactAttempt
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.debts = debts.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the addressee.
    pub fn to(mut self, party: Party) -> ContactAttempt {
        self.to = party;
        self
    }

    /// Sets the address and its kind.
    pub fn with_address(mut self, address: impl Into<String>, kind: AddressKind) -> ContactAttempt {
        self.address = Some(address.into());
        self.address_kind = Some(kind);
        self
    }

    /// Sets the text.
    pub fn with_text(mut self, text: impl Into<String>) -> ContactAttempt {
        self.text = Some(text.into());
        self
    }

    /// Sets the direction.
    pub fn with_direction(mut self, direction: Direction) -> ContactAttempt {
        self.direction = direction;
        self
    }

    /// Sets the purpose.
    pub fn with_purpose(mut self, purpose: Purpose) -> ContactAttempt {
        self.purpose = purpose;
        self
    }

    /// The debts as the rules count them: the unnamed debt `""` when none are named.
    pub fn debt_keys(&self) -> impl Iterator<Item = &str> {
        let unnamed: &[&str] = if self.debts.is_empty() { &[""] } else { &[] };
        self.debts
            .iter()
            .map(String::as_str)
            .chain(unnamed.iter().copied())
    }
}

/// `HH:MM` (or `HH:MM:SS`) local times in the JSON contract.
pub(crate) mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn parse(s: &str) -> Result<NaiveTime, String> {
        NaiveTime::parse_from_str(s, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
            .map_err(|_| format!("invalid local time `{s}`, expected `HH:MM`"))
    }

    pub(crate) fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format("%H:%M"))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }
}

/// IANA time-zone names, with an error that names the unknown one and the closest known.
mod zones {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Tz>, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        names
            .iter()
            .map(|name| {
                name.parse::<Tz>().map_err(|_| {
                    let hint = crate::pack::did_you_mean(&crate::pack::closest(
                        name,
                        chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()),
                    ));
                    serde::de::Error::custom(format!(
                        "unknown time zone `{name}`{hint}: expected an IANA name such as `Asia/Shanghai`"
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_contact_line_parses() {
        let line = r#"{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-02T14:00:00Z","channel":"call",
 "direction":"outbound","debts":["d1"],"to":{"party":"borrower"},"address":"+12125550100",
 "address_kind":"personal","outcome":"no_answer","text":"..."}"#;
        let ev: Event = serde_json::from_str(line).unwrap();
        let Event::Contact(c) = ev else {
            panic!("not a contact")
        };
        assert_eq!(c.channel, Channel::Call);
        assert_eq!(c.outcome, Some(Outcome::NoAnswer));
        assert_eq!(c.debts, vec!["d1".to_string()]);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let line = r#"{"type":"cease","borrower":"b1","at":"2026-03-05T12:00:00Z","note":"x"}"#;
        let err = serde_json::from_str::<Event>(line).unwrap_err().to_string();
        assert!(err.contains("unknown field `note`"), "{err}");
        let line = r#"{"type":"contact","id":"c","borrower":"b","at":"2026-03-05T12:00:00Z","channel":"call","to":{"party":"third_party","relation":"family","designatd":true}}"#;
        assert!(serde_json::from_str::<Event>(line).is_err());
    }

    #[test]
    fn third_party_and_defaults() {
        let line = r#"{"type":"contact","id":"c","borrower":"b","at":"2026-03-05T12:00:00+08:00","channel":"sms","to":{"party":"third_party","relation":"emergency_contact","designated":true}}"#;
        let Event::Contact(c) = serde_json::from_str::<Event>(line).unwrap() else {
            panic!("not a contact")
        };
        assert_eq!(c.at.to_rfc3339(), "2026-03-05T04:00:00+00:00");
        assert_eq!(c.direction, Direction::Outbound);
        assert_eq!(c.purpose, Purpose::Collection);
        assert_eq!(
            c.to,
            Party::ThirdParty {
                relation: Relation::EmergencyContact,
                designated: true
            }
        );
        assert_eq!(c.debt_keys().collect::<Vec<_>>(), vec![""]);
    }

    #[test]
    fn type_anywhere_in_the_object() {
        let first = r#"{"type":"contact","id":"c","borrower":"b","at":"2026-03-05T12:00:00Z","channel":"sms","debts":["d1","d2"],"text":"hi"}"#;
        let middle = r#"{"id":"c","borrower":"b","at":"2026-03-05T12:00:00Z","type":"contact","channel":"sms","debts":["d1","d2"],"text":"hi"}"#;
        let last = r#"{"id":"c","borrower":"b","at":"2026-03-05T12:00:00Z","channel":"sms","debts":["d1","d2"],"text":"hi","type":"contact"}"#;
        let a: Event = serde_json::from_str(first).unwrap();
        assert!(
            matches!(&a, Event::Contact(c) if c.debts.len() == 2 && c.text.as_deref() == Some("hi"))
        );
        assert_eq!(serde_json::from_str::<Event>(middle).unwrap(), a);
        assert_eq!(serde_json::from_str::<Event>(last).unwrap(), a);
        // Serializing puts `type` first, so the output reads back on the fast path.
        let back = serde_json::to_string(&a).unwrap();
        assert!(back.starts_with(r#"{"type":"contact","#), "{back}");
        assert_eq!(serde_json::from_str::<Event>(&back).unwrap(), a);
    }

    #[test]
    fn event_errors_on_both_paths() {
        for line in [
            r#"{"type":"cease","borrower":"b1","at":"2026-03-05T12:00:00Z","note":"x"}"#,
            r#"{"borrower":"b1","type":"cease","at":"2026-03-05T12:00:00Z","note":"x"}"#,
        ] {
            let err = serde_json::from_str::<Event>(line).unwrap_err().to_string();
            assert!(err.contains("unknown field `note`"), "{err}");
        }
        for line in [
            r#"{"type":"ceese","borrower":"b1","at":"2026-03-05T12:00:00Z"}"#,
            r#"{"borrower":"b1","type":"ceese","at":"2026-03-05T12:00:00Z"}"#,
        ] {
            let err = serde_json::from_str::<Event>(line).unwrap_err().to_string();
            assert!(err.contains("unknown variant `ceese`"), "{err}");
        }
        for line in [r#"{}"#, r#"{"borrower":"b1","at":"2026-03-05T12:00:00Z"}"#] {
            let err = serde_json::from_str::<Event>(line).unwrap_err().to_string();
            assert!(err.contains("missing field `type`"), "{err}");
        }
        let err =
            serde_json::from_str::<Event>(r#"{"borrower":"b1","borrower":"b2","type":"cease"}"#)
                .unwrap_err()
                .to_string();
        assert!(err.contains("duplicate field `borrower`"), "{err}");
        let err = serde_json::from_str::<Event>(
            r#"{"type":"cease","borrower":"b1","at":"2026-03-05T12:00:00Z","type":"cease"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `type`"), "{err}");
        assert!(serde_json::from_str::<Event>("[1]").is_err());
    }

    #[test]
    fn unknown_time_zone_is_an_error() {
        let line = r#"{"type":"borrower","id":"b1","time_zones":["Mars/Olympus"]}"#;
        let err = serde_json::from_str::<Event>(line).unwrap_err().to_string();
        assert!(err.starts_with("unknown time zone `Mars/Olympus`"), "{err}");
        let line = r#"{"type":"borrower","id":"b1","time_zones":["America/NewYork"]}"#;
        let err = serde_json::from_str::<Event>(line).unwrap_err().to_string();
        assert!(err.contains("(did you mean `America/New_York`?)"), "{err}");
    }

    #[test]
    fn inconvenient_times() {
        let line = r#"{"type":"inconvenient","borrower":"b1","at":"2026-03-02T15:00:00Z","from":"18:00","to":"21:00"}"#;
        let Event::Inconvenient(i) = serde_json::from_str::<Event>(line).unwrap() else {
            panic!()
        };
        assert_eq!(i.from, NaiveTime::from_hms_opt(18, 0, 0).unwrap());
        let bad = r#"{"type":"inconvenient","borrower":"b1","at":"2026-03-02T15:00:00Z","from":"25:00","to":"21:00"}"#;
        assert!(serde_json::from_str::<Event>(bad).is_err());
    }
}
