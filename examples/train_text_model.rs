//! Trains the model of a `text_model` rule (`src/rules/text_model.rs`) on the tuning sets of
//! the labelled corpus (`tests/data/corpus/`; never a sealed `blind*` set) and on the text
//! examples of the language's pack's rules of the category (`rules/cn/` for zh, `rules/us/`
//! for en: a firing example is a positive, an allowed one a negative), and writes it as
//! `rules/models/<lang>/<category>.toml`. Deterministic: the same data gives the same file.
//!
//! ```text
//! cargo run --release --example train_text_model -- --lang zh --category coercion
//! cargo run --release --example train_text_model -- --lang zh --category coercion --evaluate
//! ```
//!
//! - `--evaluate`: trains once per held-out set (`held_out` in
//!   `tests/data/corpus/sets.toml`) without it and prints the recall and
//!   false-positive rate of the model alone on the set it did not see (writes no model),
//!   and on the one-line messages of `tests/data/text_challenge/`, never trained on;
//!   `--scores PATH` also writes each held-out message's id and score;
//! - `--ngrams MIN,MAX` (default `1,3` for zh, `2,5` for en), `--lambda` (L2 strength,
//!   default `1e-4`), `--max-df` (n-grams in more than this share of the messages are left
//!   out, default `0.05`), `--iters` (default 1500), `--prune` (weights smaller than this
//!   are left out of the file, default `0.02`), `--out PATH`;
//! - `--confirm`: train the model that confirms the phrase rules' findings (`confirm_model`
//!   of a `text_model` rule), written as `rules/models/<lang>/<category>-confirm.toml`: its
//!   negatives are the lawful (`allow`) messages only. The firing model's negatives are also
//!   the messages unlawful for another category only, so that it reads an insult as abuse,
//!   not as a threat; as a confirming model it learned that insults make a message less
//!   threatening, and vetoed `找人收拾你` in an abusive message;
//! - `--passage RADIUS`: train the passage model (`passage_model`), written as
//!   `rules/models/<lang>/<category>-passage.toml`: a passage is a clause of the normalised
//!   message and `RADIUS` clauses either side; its negatives are every passage of the lawful
//!   messages, its positives the one passage of each of the category's messages that reads
//!   most like it (picked by the confirming model, then once more by the passage model
//!   trained on those picks, which is then trained again on its own);
//! - `--exclude SET`: leave a tuning set out of training (repeatable), to score a model on a
//!   set it has not seen with the corpus test;
//! - `--to borrower|third_party`: train (and evaluate) on the messages to that addressee
//!   only, for a rule scoped to it (`[rule.scope] parties`): the privacy model reads
//!   messages to third parties, where the question is whether the debt shows through.
//!
//! ```text
//! cargo run --release --example train_text_model -- --lang zh --category privacy --to third_party
//! ```
//!
//! The model is a logistic regression: a message's features are its distinct n-grams and
//! its addressee, each worth `1 / sqrt(count)`; classes are weighted to count alike; the
//! loss is minimised by Nesterov's accelerated gradient descent from zero.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use collectguard::{Channel, Engine, Party, Relation};
use serde::Deserialize;

/// The one-line messages of `tests/data/text_challenge/<lang>.txt` (`C|`, `A|` or `N|`
/// and the text: coercion, abuse, neither).
const CHALLENGE: &str = "text_challenge";

/// The sets trained on: the tuning sets of `tests/data/corpus/sets.toml` (files or folders
/// under `tests/data/corpus/`; never a sealed set, which that file lists apart), and last
/// [`CHALLENGE`], which the model is never trained on: it shows how the model does on short
/// messages, unlike most of the corpus. Also the sets `--evaluate` holds out one at a time
/// (`held_out = true`: each by writers of its own), and the challenge lines.
struct Sets {
    names: Vec<String>,
    held_out: Vec<String>,
}

impl Sets {
    fn read() -> Sets {
        #[derive(Deserialize)]
        struct File {
            tuning: Vec<Tuning>,
        }
        #[derive(Deserialize)]
        struct Tuning {
            path: String,
            #[serde(default)]
            held_out: bool,
        }
        let path = format!("{}/tests/data/corpus/sets.toml", env!("CARGO_MANIFEST_DIR"));
        let file: File = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut names: Vec<String> = file.tuning.iter().map(|t| t.path.clone()).collect();
        names.push(CHALLENGE.to_string());
        let mut held_out: Vec<String> = file
            .tuning
            .into_iter()
            .filter(|t| t.held_out)
            .map(|t| t.path)
            .collect();
        held_out.push(CHALLENGE.to_string());
        Sets { names, held_out }
    }

    /// The index of [`CHALLENGE`].
    fn challenge(&self) -> usize {
        self.names.len() - 1
    }
}

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    lang: String,
    channel: Channel,
    audience: String,
    text: String,
    expect: String,
    categories: Vec<String>,
}

struct Doc {
    id: String,
    third: bool,
    set: usize,
    features: Vec<String>,
    /// With `--passage`, the features of each passage (`Engine::model_passage_features`).
    passages: Vec<Vec<String>>,
    positive: bool,
    allow: bool,
}

fn load(name: &str, lang: &str) -> Vec<Record> {
    if name == CHALLENGE {
        return load_challenge(lang);
    }
    let root = format!("{}/tests/data/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    if name.ends_with(".jsonl") {
        files.push(std::path::PathBuf::from(&root));
    } else {
        for e in std::fs::read_dir(&root).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "jsonl") {
                files.push(p);
            }
        }
        files.sort();
    }
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap())
                .collect::<Vec<Record>>()
        })
        .collect()
}

fn load_challenge(lang: &str) -> Vec<Record> {
    let path = format!(
        "{}/tests/data/text_challenge/{lang}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let (kind, text) = l.split_once('|')?;
            let category = match kind {
                "C" => "coercion",
                "A" => "abuse",
                "N" => "",
                _ => return None,
            };
            Some(Record {
                id: format!("{lang}.txt:{}", n + 1),
                lang: lang.to_string(),
                channel: Channel::Sms,
                audience: "borrower".into(),
                text: text.to_string(),
                expect: if category.is_empty() { "allow" } else { "deny" }.into(),
                categories: vec![category.to_string()],
            })
        })
        .collect()
}

struct Options {
    lang: String,
    category: String,
    ngrams: (usize, usize),
    lambda: f64,
    max_df: f64,
    iters: usize,
    prune: f64,
    out: Option<String>,
    evaluate: bool,
    scores: Option<String>,
    /// Whether the model has a bias (intercept); without, a message with no known n-gram
    /// scores 0.5.
    bias: bool,
    /// Train and evaluate on the messages to this addressee only (`borrower`, `third_party`).
    to: Option<String>,
    /// Train the confirming model (`--confirm`): lawful messages are the only negatives.
    confirm: bool,
    /// Train the passage model (`--passage RADIUS`) of that radius.
    passage: Option<usize>,
    /// Sets left out of training (`--exclude NAME`, repeatable).
    exclude: Vec<String>,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        lang: "zh".into(),
        category: "coercion".into(),
        ngrams: (0, 0),
        lambda: 1e-4,
        max_df: 0.05,
        iters: 1500,
        prune: 0.02,
        out: None,
        evaluate: false,
        scores: None,
        to: None,
        bias: true,
        confirm: false,
        passage: None,
        exclude: vec![],
    };
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--lang" => o.lang = value(),
            "--category" => o.category = value(),
            "--ngrams" => {
                let v = value();
                let (a, b) = v.split_once(',').expect("--ngrams MIN,MAX");
                o.ngrams = (a.parse().unwrap(), b.parse().unwrap());
            }
            "--lambda" => o.lambda = value().parse().unwrap(),
            "--max-df" => o.max_df = value().parse().unwrap(),
            "--iters" => o.iters = value().parse().unwrap(),
            "--prune" => o.prune = value().parse().unwrap(),
            "--out" => o.out = Some(value()),
            "--evaluate" => o.evaluate = true,
            "--scores" => o.scores = Some(value()),
            "--no-bias" => o.bias = false,
            "--confirm" => o.confirm = true,
            "--passage" => {
                o.passage = Some(value().parse().expect("--passage RADIUS"));
                o.confirm = true;
            }
            "--exclude" => o.exclude.push(value()),
            "--to" => {
                let v = value();
                assert!(
                    v == "borrower" || v == "third_party",
                    "--to is `borrower` or `third_party`"
                );
                o.to = Some(v);
            }
            other => panic!("unknown argument `{other}`"),
        }
    }
    if o.ngrams == (0, 0) {
        o.ngrams = if o.lang == "zh" { (1, 3) } else { (2, 5) };
    }
    o
}

/// The text examples of the rules of `category` in the pack for `lang`, as
/// `(text, to a third party, fires)`.
fn rule_examples(lang: &str, category: &str) -> Vec<(String, bool, bool)> {
    let pack = if lang == "zh" { "cn" } else { "us" };
    let dir = format!("{}/rules/{pack}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = vec![];
    for f in files {
        let file: toml::Table = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let rules = file.get("rule").and_then(|r| r.as_array()).cloned();
        for rule in rules.unwrap_or_default() {
            if rule.get("category").and_then(|c| c.as_str()) != Some(category) {
                continue;
            }
            let examples = rule.get("example").and_then(|e| e.as_array()).cloned();
            for ex in examples.unwrap_or_default() {
                let Some(text) = ex.get("text").and_then(|t| t.as_str()) else {
                    continue;
                };
                let third = ex
                    .get("to")
                    .and_then(|t| t.get("party"))
                    .and_then(|p| p.as_str())
                    == Some("third_party");
                let fires = ex.get("expect").and_then(|e| e.as_str()) != Some("allow");
                out.push((text.to_string(), third, fires));
            }
        }
    }
    out
}

fn party(third: bool) -> Party {
    if third {
        Party::ThirdParty {
            relation: Relation::Other,
            designated: false,
        }
    } else {
        Party::Borrower
    }
}

/// The features of each passage of a message, with `--passage`; else none.
fn passages(text: &str, channel: Channel, to: Party, o: &Options) -> Vec<Vec<String>> {
    match o.passage {
        Some(radius) => {
            Engine::model_passage_features(text, channel, to, o.ngrams.0, o.ngrams.1, radius)
        }
        None => vec![],
    }
}

fn docs(o: &Options, sets: &Sets) -> Vec<Doc> {
    let mut out = vec![];
    for (n, (text, third, fires)) in rule_examples(&o.lang, &o.category).into_iter().enumerate() {
        out.push(Doc {
            id: format!("example-{n}"),
            third,
            set: usize::MAX,
            features: Engine::model_features(
                &text,
                Channel::Sms,
                party(third),
                o.ngrams.0,
                o.ngrams.1,
            ),
            passages: passages(&text, Channel::Sms, party(third), o),
            positive: fires,
            allow: !fires,
        });
    }
    for (set, name) in sets.names.iter().enumerate() {
        for r in load(name, &o.lang).into_iter().filter(|r| r.lang == o.lang) {
            let positive = r.expect != "allow" && r.categories.contains(&o.category);
            let to = party(r.audience == "third_party");
            out.push(Doc {
                id: r.id.clone(),
                third: r.audience == "third_party",
                set,
                features: Engine::model_features(&r.text, r.channel, to, o.ngrams.0, o.ngrams.1),
                passages: passages(&r.text, r.channel, to, o),
                positive,
                allow: r.expect == "allow",
            });
        }
    }
    match o.to.as_deref() {
        None => out,
        Some(to) => out
            .into_iter()
            .filter(|d| d.third == (to == "third_party"))
            .collect(),
    }
}

/// Whether a message is trained on: every message, or for the confirming model
/// (`--confirm`) the category's positives and the lawful messages only. The confirming
/// model must not learn that an insult makes a message less threatening (and veto the threat
/// in an abusive one); the firing model must, or it reads every insult as a threat.
/// `--evaluate` scores them all the same.
fn trained_on(d: &Doc, o: &Options) -> bool {
    d.positive || d.allow || !o.confirm
}

struct Model {
    bias: f64,
    weights: HashMap<String, f64>,
}

impl Model {
    fn score(&self, features: &[String]) -> f64 {
        let v = 1.0 / (features.len() as f64).sqrt();
        let z = self.bias
            + features
                .iter()
                .filter_map(|f| self.weights.get(f))
                .sum::<f64>()
                * v;
        1.0 / (1.0 + (-z).exp())
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// L2-regularised, class-weighted logistic regression over the features seen in at least
/// two training messages and in at most `max_df` of them: a feature nearly every message has
/// (`your `, `您`) says nothing of what it is, and since it is worth more in a short message
/// than in a long one, the model would read it as length (measured: with them, 15 % of the
/// short lawful sentences of `tests/data/text_challenge/en.txt` scored 0.5 or more when held
/// out; without, 3 %).
fn train(docs: &[&Doc], o: &Options) -> Model {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        for f in &d.features {
            *df.entry(f.as_str()).or_default() += 1;
        }
    }
    let max_df = (o.max_df * docs.len() as f64).ceil() as usize;
    let mut vocab: Vec<&str> = df
        .iter()
        .filter(|(_, &c)| c >= 2 && c <= max_df)
        .map(|(f, _)| *f)
        .collect();
    vocab.sort_unstable();
    let index: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, i as u32))
        .collect();
    let rows: Vec<(Vec<u32>, f64)> = docs
        .iter()
        .map(|d| {
            let ids = d
                .features
                .iter()
                .filter_map(|f| index.get(f.as_str()).copied())
                .collect();
            (ids, 1.0 / (d.features.len() as f64).sqrt())
        })
        .collect();
    let n = docs.len() as f64;
    let pos = docs.iter().filter(|d| d.positive).count().max(1) as f64;
    let neg = (n - pos).max(1.0);
    let cw = |d: &Doc| {
        if d.positive {
            n / (2.0 * pos)
        } else {
            n / (2.0 * neg)
        }
    };
    let c_max = n / (2.0 * pos.min(neg));
    // Each row has norm at most 1 (plus the bias): the loss's gradient is Lipschitz with
    // constant at most c_max * 2 / 4 + lambda.
    let step = 1.0 / (c_max / 2.0 + o.lambda);
    let dim = vocab.len();
    let (mut w, mut b) = (vec![0.0f64; dim], 0.0f64);
    let (mut w_prev, mut b_prev) = (w.clone(), b);
    let mut grad = vec![0.0f64; dim];
    for k in 0..o.iters {
        let m = k as f64 / (k as f64 + 3.0);
        let y: Vec<f64> = w
            .iter()
            .zip(&w_prev)
            .map(|(a, p)| a + m * (a - p))
            .collect();
        let yb = b + m * (b - b_prev);
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut gb = 0.0;
        for (d, (ids, v)) in docs.iter().zip(&rows) {
            let z = yb + ids.iter().map(|&i| y[i as usize]).sum::<f64>() * v;
            let t = if d.positive { 1.0 } else { 0.0 };
            let g = cw(d) * (sigmoid(z) - t) / n;
            gb += g;
            for &i in ids {
                grad[i as usize] += g * v;
            }
        }
        w_prev.clone_from(&w);
        b_prev = b;
        for i in 0..dim {
            w[i] = y[i] - step * (grad[i] + o.lambda * y[i]);
        }
        if o.bias {
            b = yb - step * gb;
        }
    }
    Model {
        bias: b,
        weights: vocab
            .iter()
            .zip(&w)
            .filter(|(f, w)| w.abs() >= o.prune && writable(f))
            .map(|(f, w)| (f.to_string(), *w))
            .collect(),
    }
}

/// Trains a passage model (`--passage`): its negatives are every passage of the lawful
/// messages; its positives one passage of each of the category's messages, the one that
/// reads most like the category. Which passage that is the labels do not say: first the
/// message model (trained as `--confirm`) picks it, then the passage model trained on those
/// picks, and the model is trained again on its own picks.
fn train_passages(refs: &[&Doc], o: &Options) -> (Model, Vec<Doc>) {
    let passage = |d: &Doc, features: &[String], positive: bool| Doc {
        id: d.id.clone(),
        third: d.third,
        set: d.set,
        features: features.to_vec(),
        passages: vec![],
        positive,
        allow: !positive,
    };
    let negatives: Vec<Doc> = refs
        .iter()
        .filter(|d| d.allow)
        .flat_map(|d| d.passages.iter().map(|p| passage(d, p, false)))
        .collect();
    let pick = |model: &Model| -> Vec<Doc> {
        refs.iter()
            .filter(|d| d.positive)
            .filter_map(|d| {
                let best = d
                    .passages
                    .iter()
                    .max_by(|a, b| model.score(a).total_cmp(&model.score(b)))?;
                Some(passage(d, best, true))
            })
            .collect()
    };
    let mut model = train(refs, o);
    let mut picks = vec![];
    for round in 0..2 {
        picks = pick(&model);
        let all: Vec<&Doc> = picks.iter().chain(&negatives).collect();
        model = train(&all, o);
        eprintln!(
            "round {round}: {} passages of {} messages, {} of lawful ones",
            picks.len(),
            o.category,
            negatives.len()
        );
    }
    picks.extend(negatives);
    (model, picks)
}

fn evaluate(all: &[Doc], o: &Options, sets: &Sets) {
    println!(
        "{} {}: the model alone on a set it was not trained on (recall / false-positive rate)",
        o.lang, o.category
    );
    let thresholds = [0.2, 0.3, 0.5, 0.7];
    let mut dump = String::new();
    print!("| held out | positives | allow |");
    for t in thresholds {
        print!(" score >= {t} |");
    }
    println!("\n|---|---:|---:|{}", "---:|".repeat(thresholds.len()));
    for name in &sets.held_out {
        let set = sets.names.iter().position(|s| s == name).unwrap();
        let train_docs: Vec<&Doc> = all
            .iter()
            .filter(|d| d.set != set && d.set != sets.challenge() && trained_on(d, o))
            .collect();
        let test: Vec<&Doc> = all.iter().filter(|d| d.set == set).collect();
        let model = train(&train_docs, o);
        let scores: Vec<f64> = test.iter().map(|d| model.score(&d.features)).collect();
        for (d, s) in test.iter().zip(&scores) {
            writeln!(dump, "{} {s:.4}", d.id).unwrap();
        }
        let positives = test.iter().filter(|d| d.positive).count();
        let allows = test.iter().filter(|d| d.allow).count();
        print!("| {name} | {positives} | {allows} |");
        for t in thresholds {
            let caught = test
                .iter()
                .zip(&scores)
                .filter(|(d, s)| d.positive && **s >= t)
                .count();
            let flagged = test
                .iter()
                .zip(&scores)
                .filter(|(d, s)| d.allow && **s >= t)
                .count();
            print!(
                " {:.3} / {:.3} |",
                caught as f64 / positives.max(1) as f64,
                flagged as f64 / allows.max(1) as f64
            );
        }
        println!();
    }
    if let Some(path) = &o.scores {
        std::fs::write(path, dump).unwrap();
    }
}

fn write(model: &Model, docs: &[&Doc], o: &Options) -> String {
    let mut s = String::new();
    let positives = docs.iter().filter(|d| d.positive).count();
    writeln!(
        s,
        "# Generated by `cargo run --release --example train_text_model -- --lang {} --category {}{}`:\n\
         # do not edit by hand; retrain. One weight per character n-gram of the normalised text.\n\
         # A positive weight reads as {}, a negative one as lawful.\n",
        o.lang,
        o.category,
        flags(o),
        o.category
    )
    .unwrap();
    writeln!(s, "[model]").unwrap();
    writeln!(s, "category = {:?}", o.category).unwrap();
    writeln!(s, "ngrams = [{}, {}]", o.ngrams.0, o.ngrams.1).unwrap();
    writeln!(s, "bias = {:.4}", model.bias).unwrap();
    writeln!(
        s,
        "trained = \"{} messages{}{} of the tuning sets and rule examples ({} {}, the rest {}), n-grams in at most {} of them, lambda {}, {} iterations, weights under {} left out\"",
        docs.len(),
        o.to.as_ref().map(|t| format!(" to {t}")).unwrap_or_default(),
        if o.bias { "" } else { " (no bias)" },
        positives,
        o.category,
        if o.passage.is_some() {
            "passages of lawful messages"
        } else if o.confirm {
            "lawful"
        } else {
            "any other"
        },
        o.max_df,
        o.lambda,
        o.iters,
        o.prune
    )
    .unwrap();
    writeln!(s, "weights = '''").unwrap();
    let sorted: BTreeMap<&String, &f64> = model.weights.iter().collect();
    for (f, w) in sorted {
        writeln!(s, "{f}\t{w:.4}").unwrap();
    }
    writeln!(s, "'''").unwrap();
    s
}

/// The options that change what is trained, as written on the command line.
fn flags(o: &Options) -> String {
    let mut s = String::new();
    let default = if o.lang == "zh" { (1, 3) } else { (2, 5) };
    if o.ngrams != default {
        write!(s, " --ngrams {},{}", o.ngrams.0, o.ngrams.1).unwrap();
    }
    if let Some(r) = o.passage {
        write!(s, " --passage {r}").unwrap();
    } else if o.confirm {
        s.push_str(" --confirm");
    }
    for e in &o.exclude {
        write!(s, " --exclude {e}").unwrap();
    }
    if let Some(t) = &o.to {
        write!(s, " --to {t}").unwrap();
    }
    if !o.bias {
        s.push_str(" --no-bias");
    }
    s
}

/// Whether an n-gram can be written on a line of a TOML literal string.
fn writable(f: &str) -> bool {
    !f.contains("'''") && !f.chars().any(char::is_control)
}

fn main() {
    let o = options();
    let sets = Sets::read();
    let all = docs(&o, &sets);
    if o.evaluate {
        assert!(
            o.passage.is_none(),
            "--evaluate does not judge a passage model"
        );
        evaluate(&all, &o, &sets);
        return;
    }
    let excluded: Vec<usize> = o
        .exclude
        .iter()
        .map(|e| {
            sets.names
                .iter()
                .position(|n| n == e)
                .unwrap_or_else(|| panic!("--exclude: no tuning set `{e}`"))
        })
        .collect();
    let refs: Vec<&Doc> = all
        .iter()
        .filter(|d| d.set != sets.challenge() && !excluded.contains(&d.set) && trained_on(d, &o))
        .collect();
    if o.passage.is_some() {
        let (model, passages) = train_passages(&refs, &o);
        save(&model, &passages.iter().collect::<Vec<_>>(), &o);
    } else {
        save(&train(&refs, &o), &refs, &o);
    }
}

/// Writes the model file (`--out`, or the model's place in `rules/models/`).
fn save(model: &Model, refs: &[&Doc], o: &Options) {
    let path = o.out.clone().unwrap_or_else(|| {
        format!(
            "{}/rules/models/{}/{}{}.toml",
            env!("CARGO_MANIFEST_DIR"),
            o.lang,
            o.category,
            if o.passage.is_some() {
                "-passage"
            } else if o.confirm {
                "-confirm"
            } else {
                ""
            }
        )
    });
    std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
    std::fs::write(&path, write(model, refs, o)).unwrap();
    eprintln!(
        "{path}: {} weights, bias {:.4}",
        model.weights.len(),
        model.bias
    );
}
