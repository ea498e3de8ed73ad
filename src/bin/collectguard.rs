//! The `collectguard` command: `check` a contact log, `lint` message templates, `explain` a
//! rule, list, validate and test `rules`.

use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use collectguard::lint::{self, Format, Linter};
use collectguard::{Decision, Engine, EngineBuilder, ParallelScreener, Screener};

/// Decides whether debt-collection contacts may be made, or were compliant, and says why.
#[derive(Parser)]
#[command(name = "collectguard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Judge a JSON Lines event stream: one verdict line per contact, an error line per bad line.
    Check {
        /// Default pack(s) for borrowers that name none (repeatable): cn, us, us-ma, us-wa, au, uk.
        #[arg(long = "pack", short = 'p')]
        packs: Vec<String>,
        /// A folder of custom packs (repeatable).
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
        /// Time zone (IANA) for contacts of borrowers never declared.
        #[arg(long)]
        default_time_zone: Option<String>,
        /// Longest input line, in bytes; a longer line is an error line.
        #[arg(long, default_value_t = collectguard::Limits::default().max_line_bytes)]
        max_line_bytes: usize,
        /// Longest contact text, in bytes; a longer text is an error line.
        #[arg(long, default_value_t = collectguard::Limits::default().max_text_bytes)]
        max_text_bytes: usize,
        /// Worker threads: borrowers are spread across them, output stays in input order
        /// (`0`: one per core).
        #[arg(long, short = 'j', default_value_t = 0)]
        jobs: usize,
        /// The input file; `-` or absent for standard input.
        file: Option<PathBuf>,
    },
    /// Check message templates (files or folders): `.txt`/`.md` templates and `.toml`/`.json`
    /// catalogues. Exit 0 clean, 1 a finding denies, 2 bad input or rules.
    Lint {
        /// Pack(s) for templates that name none (repeatable): cn, us, us-ma, us-wa, au, uk.
        #[arg(long = "pack", short = 'p')]
        packs: Vec<String>,
        /// A folder of custom packs (repeatable).
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Another name for a placeholder type, as `NAME=TYPE` (repeatable), e.g.
        /// `nickname=name`. Types: name, agent, company, hotline, phone, email, link, date,
        /// time, code, amount, due_date, overdue_days, loan_id, account_number, card_last4,
        /// card_number, id_number.
        #[arg(long = "placeholder", value_name = "NAME=TYPE")]
        placeholders: Vec<String>,
        /// The least severity that fails the run (exit 1).
        #[arg(long, value_enum, default_value_t = FailOn::Deny)]
        fail_on: FailOn,
        /// Template files and folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `cn.quiet-hours`.
        rule: String,
        /// A folder of custom packs (repeatable).
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
    /// Work with rule packs.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// One rule per line: id, category, severity, citation. The linter's own rules are
    /// the pack `lint`.
    List {
        /// Only this pack (repeatable).
        #[arg(long = "pack", short = 'p')]
        packs: Vec<String>,
        /// A folder of custom packs (repeatable).
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
    /// Load a folder of custom packs and report the first error as `file:line:col`.
    /// Exit 0 valid, 2 invalid.
    Validate {
        /// The folder: a pack (holding `pack.toml`) or a folder of packs.
        dir: PathBuf,
    },
    /// Run the examples of every rule in a folder of custom packs.
    /// Exit 0 all pass, 1 an example fails, 2 the packs do not load.
    Test {
        /// The folder: a pack (holding `pack.toml`) or a folder of packs.
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// `file:line:col`, the line with a caret under the words, rule, message, citation.
    Human,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Only `deny` findings fail the run.
    Deny,
    /// `review` findings fail it too.
    Review,
}

fn builder(packs: &[String], dirs: &[PathBuf]) -> EngineBuilder {
    let mut b = Engine::builder();
    for p in packs {
        b.pack(p);
    }
    for d in dirs {
        b.rules_dir(d);
    }
    b
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match cli.command {
        Command::Check {
            packs,
            rules,
            default_time_zone,
            max_line_bytes,
            max_text_bytes,
            jobs,
            file,
        } => {
            let engine = builder(&packs, &rules).build()?;
            let mut screener = Screener::new(engine).with_limits(collectguard::Limits {
                max_line_bytes,
                max_text_bytes,
            });
            if let Some(tz) = default_time_zone {
                let zone = tz.parse::<chrono_tz::Tz>().map_err(|_| {
                    format!(
                        "unknown time zone `{tz}` (expected an IANA name such as `Asia/Shanghai`)"
                    )
                })?;
                screener = screener.with_default_time_zone(zone);
            }
            let (input, size): (Box<dyn BufRead>, Option<u64>) = match file {
                None => (Box::new(std::io::stdin().lock()), None),
                Some(p) if p.as_os_str() == "-" => (Box::new(std::io::stdin().lock()), None),
                Some(p) => {
                    let f = std::fs::File::open(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    let size = f.metadata().ok().map(|m| m.len());
                    (
                        Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                        size,
                    )
                }
            };
            check(input, size, &screener, jobs)
        }
        Command::Lint {
            packs,
            rules,
            format,
            placeholders,
            fail_on,
            paths,
        } => {
            let engine = builder(&packs, &rules).build()?;
            let mut linter = Linter::new(engine);
            for p in &placeholders {
                let (name, ty) = p.split_once('=').ok_or_else(|| {
                    format!("`--placeholder {p}`: expected `NAME=TYPE`, e.g. `nickname=name`")
                })?;
                linter.placeholder(name.trim(), ty.trim())?;
            }
            let report = linter.lint_paths(&paths);
            let mut out = std::io::stdout().lock();
            out.write_all(linter.render(&report, format.into()).as_bytes())?;
            out.flush()?;
            let failing = match fail_on {
                FailOn::Deny => Decision::Deny,
                FailOn::Review => Decision::Review,
            };
            Ok(if !report.errors.is_empty() {
                ExitCode::from(2)
            } else if report.decision() >= failing {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Explain { rule, rules } => {
            let engine = builder(&[], &rules).build()?;
            if let Some(info) = lint::lint_rule(&rule) {
                print!("{}", info.explain());
                return Ok(ExitCode::SUCCESS);
            }
            match engine.rule(&rule) {
                Some(info) => {
                    print!("{}", info.explain());
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    let ids: Vec<&str> = engine
                        .rules()
                        .map(|r| r.id.as_str())
                        .chain(lint::lint_rules().iter().map(|r| r.id))
                        .collect();
                    let hint = closest(&rule, &ids)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    Err(format!(
                        "unknown rule `{rule}`{hint}; `collectguard rules list` lists them"
                    )
                    .into())
                }
            }
        }
        Command::Rules {
            command: RulesCommand::List { packs, rules },
        } => {
            let engine = builder(&[], &rules).build()?;
            for p in &packs {
                if p != "lint" && engine.pack_rules(p).is_none() {
                    return Err(format!("unknown pack `{p}`").into());
                }
            }
            let out = std::io::stdout();
            let mut out = out.lock();
            for r in engine.rules() {
                if packs.is_empty() || packs.contains(&r.pack) {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}",
                        r.id,
                        r.category,
                        r.severity.as_str(),
                        r.citation
                    )?;
                }
            }
            if packs.is_empty() || packs.iter().any(|p| p == "lint") {
                for r in lint::lint_rules() {
                    let category = r.category.map_or("tooling", |c| c.as_str());
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}",
                        r.id,
                        category,
                        r.severity.as_str(),
                        r.citation
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            command: RulesCommand::Validate { dir },
        } => {
            let engine = builder(&[], std::slice::from_ref(&dir)).build()?;
            let ids = packs_in(&dir)?;
            let mut out = std::io::stdout().lock();
            for id in &ids {
                let n = engine.pack_rules(id).map_or(0, Iterator::count);
                writeln!(
                    out,
                    "ok: pack `{id}`: {n} {}",
                    if n == 1 { "rule" } else { "rules" }
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            command: RulesCommand::Test { dir },
        } => {
            let engine = builder(&[], std::slice::from_ref(&dir)).build()?;
            let ids = packs_in(&dir)?;
            let mut out = std::io::stdout().lock();
            let (mut rules_run, mut examples, mut failures) = (0usize, 0usize, 0usize);
            for id in &ids {
                let Some(pack_rules) = engine.pack_rules(id) else {
                    continue;
                };
                for r in pack_rules {
                    rules_run += 1;
                    examples += r.examples.len();
                    let failed = engine.run_examples(&r.id);
                    if failed.is_empty() {
                        writeln!(out, "ok    {} ({} examples)", r.id, r.examples.len())?;
                    } else {
                        failures += failed.len();
                        for f in failed {
                            writeln!(out, "FAIL  {f}")?;
                        }
                    }
                }
            }
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            writeln!(
                out,
                "{}, {}, {}",
                plural(rules_run, "rule", "rules"),
                plural(examples, "example", "examples"),
                plural(failures, "failure", "failures")
            )?;
            Ok(if failures > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The closest of `known` to `name`, if close enough to be a typo.
fn closest(name: &str, known: &[&str]) -> Option<String> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
                let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
                let ins = cur.last().copied().unwrap_or(0) + 1;
                cur.push(sub.min(del).min(ins));
            }
            prev = cur;
        }
        prev.last().copied().unwrap_or(0)
    }
    known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min()
        .map(|(_, k)| k.to_string())
}

/// The ids of the packs a folder holds: the folder itself when it has `pack.toml`, else
/// each subfolder that has one.
fn packs_in(dir: &std::path::Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if dir.join("pack.toml").is_file() {
        return Ok(vec![name(dir)]);
    }
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("pack.toml").is_file())
        .map(|p| name(&p))
        .collect();
    ids.sort();
    Ok(ids)
}

fn check(
    input: Box<dyn BufRead>,
    size: Option<u64>,
    template: &Screener,
    jobs: usize,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    use std::io::IsTerminal;
    let mut parallel = ParallelScreener::new(template, jobs)?;
    let stdout = std::io::stdout();
    let out = BufWriter::with_capacity(1 << 16, stdout.lock());
    // A progress bar on stderr, only for a person watching (never in a pipe or a CI log).
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = match size {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::no_length(),
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bytes}/{total_bytes} {bytes_per_sec} {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let summary = parallel.screen_reader_json(input, out, |consumed| {
        if let Some(bar) = &bar {
            bar.set_position(consumed);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(if summary.errors > 0 {
        ExitCode::from(2)
    } else if summary.denied > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
