#![allow(clippy::unwrap_used)]
use collectguard::{Category, Channel, Engine, Party};
#[test]
fn challenge() {
    for (lang, pack) in [("en", "us"), ("zh", "cn")] {
        let e = Engine::from_pack(pack).unwrap();
        let text = std::fs::read_to_string(format!("/tmp/chal/{lang}.txt")).unwrap();
        for line in text.lines() {
            let (kind, msg) = line.split_once('|').unwrap();
            let v = e.check_text(msg, Channel::Im, Party::Borrower).unwrap();
            let cats: Vec<String> = v.reasons.iter().filter(|r| matches!(r.category, Category::Coercion | Category::Abuse | Category::Privacy)).map(|r| format!("{}:{}", r.rule, r.evidence.clone().unwrap_or_default())).collect();
            let want = match kind { "C" => Some(Category::Coercion), "A" => Some(Category::Abuse), _ => None };
            let ok = match want { Some(c) => v.reasons.iter().any(|r| r.category == c), None => cats.is_empty() };
            if !ok { println!("{} {kind} | {msg} | {:?}", if want.is_some() {"MISS"} else {"FP  "}, cats); }
        }
    }
}
