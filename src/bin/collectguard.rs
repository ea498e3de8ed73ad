//! The `collectguard` command: `check` a contact log, `explain` a rule, list `rules`.

use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use collectguard::{read_lines, Decision, Engine, EngineBuilder, ErrorLine, LineOutcome, Screener};

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
        /// The input file; `-` or absent for standard input.
        file: Option<PathBuf>,
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
    /// One rule per line: id, category, severity, citation.
    List {
        /// Only this pack (repeatable).
        #[arg(long = "pack", short = 'p')]
        packs: Vec<String>,
        /// A folder of custom packs (repeatable).
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
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
            let input: Box<dyn BufRead> = match file {
                None => Box::new(std::io::stdin().lock()),
                Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdin().lock()),
                Some(p) => Box::new(std::io::BufReader::new(
                    std::fs::File::open(&p).map_err(|e| format!("{}: {e}", p.display()))?,
                )),
            };
            check(input, &mut screener)
        }
        Command::Explain { rule, rules } => {
            let engine = builder(&[], &rules).build()?;
            match engine.rule(&rule) {
                Some(info) => {
                    print!("{}", info.explain());
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    let hint = engine
                        .suggest_rule(&rule)
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
                if engine.pack_rules(p).is_none() {
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
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(
    input: Box<dyn BufRead>,
    screener: &mut Screener,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut denied = false;
    let mut errors = false;
    let mut write_err: Option<std::io::Error> = None;
    let max = screener.limits().max_line_bytes;
    read_lines(input, max, |line_no, line| {
        if write_err.is_some() {
            return;
        }
        let outcome = match line {
            Ok(text) => screener.push_line(line_no, text),
            Err(error) => LineOutcome::Error {
                line: line_no,
                error,
            },
        };
        let written = match outcome {
            LineOutcome::Verdict(v) => {
                denied |= v.verdict.decision == Decision::Deny;
                serde_json::to_writer(&mut out, &v)
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
            }
            LineOutcome::Recorded => Ok(()),
            LineOutcome::Error { line, error } => {
                errors = true;
                serde_json::to_writer(&mut out, &ErrorLine::new(line, &error))
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
            }
        };
        if let Err(e) = written {
            write_err = Some(e);
        }
    })?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    out.flush()?;
    Ok(if errors {
        ExitCode::from(2)
    } else if denied {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
