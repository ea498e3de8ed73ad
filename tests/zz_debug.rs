use collectguard::{Channel, Engine, Party};
#[test]
fn debug() {
    let e = Engine::from_pack("us").unwrap();
    for t in ["People who stiff us tend to regret it.", "you will regret it"] {
        let v = e.check_text(t, Channel::Im, Party::Borrower).unwrap();
        println!("{t} => {:?}", v.reasons.iter().map(|r| (&r.rule, &r.evidence)).collect::<Vec<_>>());
    }
}
