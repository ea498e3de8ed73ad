//! Parallel bulk screening: borrowers spread across cores, output in input order.
//!
//! A screener's state is per borrower, so an event stream can be split by borrower id into
//! independent shards, each with its own [`Screener`]: every event of a borrower goes to the
//! same shard, in input order, so each shard sees exactly what a single screener would have
//! seen of those borrowers. Lines are read in chunks; each chunk is parsed in parallel (once),
//! dispatched to the shards, screened in parallel, and its outcomes are put back in input
//! order. The result is the same, line for line, as [`Screener::push_line`] on one core.
//!
//! ```
//! use collectguard::{Engine, LineOutcome, ParallelScreener, Screener};
//!
//! let engine = Engine::from_pack("us")?;
//! let mut bulk = ParallelScreener::new(&Screener::new(engine), 2)?;
//! let input = concat!(
//!     r#"{"type":"borrower","id":"b1","time_zones":["America/New_York"]}"#, "\n",
//!     r#"{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-02T15:00:00Z","channel":"call"}"#, "\n",
//!     "not json\n",
//! );
//! let mut out = Vec::new();
//! bulk.screen_reader(input.as_bytes(), |o| out.push(o), |_bytes| {})?;
//! assert_eq!(out.len(), 3);
//! assert!(matches!(out[1], LineOutcome::Verdict(_)));
//! assert!(matches!(out[2], LineOutcome::Error { line: 3, .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::Cell;
use std::io::{BufRead, Read, Write};
use std::ops::Range;

use rayon::prelude::*;

use crate::screen::{
    parse_line, read_lines, ErrorLine, Limits, LineOutcome, Parsed, ScreenError, Screener,
};
use crate::verdict::Decision;

/// How many bytes of input a chunk holds before it is screened (1 MiB).
const CHUNK_BYTES: usize = 1 << 20;
/// How many lines a chunk holds at most.
const CHUNK_LINES: usize = 8192;
/// Shards per worker thread: more shards than threads lets work-stealing even out borrowers
/// with many events.
const SHARDS_PER_JOB: usize = 4;

/// The worker threads could not be started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    /// The thread pool failed to start.
    #[error("cannot start {jobs} worker threads: {message}")]
    Threads {
        /// How many threads were asked for.
        jobs: usize,
        /// Why they could not be started.
        message: String,
    },
}

/// What a screening run produced: the CLI's exit code follows from it (`2` if any error,
/// else `1` if any deny, else `0`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input lines read.
    pub lines: usize,
    /// Verdicts written (one per contact).
    pub verdicts: usize,
    /// Verdicts that deny.
    pub denied: usize,
    /// Verdicts that ask for review.
    pub review: usize,
    /// Error lines written.
    pub errors: usize,
}

impl Summary {
    fn add(&mut self, tally: Tally) {
        self.lines += 1;
        match tally {
            Tally::Recorded => {}
            Tally::Error => self.errors += 1,
            Tally::Verdict(d) => {
                self.verdicts += 1;
                match d {
                    Decision::Deny => self.denied += 1,
                    Decision::Review => self.review += 1,
                    Decision::Allow => {}
                }
            }
        }
    }
}

/// What one line counted as.
#[derive(Debug, Clone, Copy)]
enum Tally {
    Recorded,
    Error,
    Verdict(Decision),
}

/// Appends the JSON line of an outcome to `out` (a verdict line or an error line, each with
/// its `\n`; nothing for a recorded event), as `collectguard check` prints it.
pub fn write_outcome_json(out: &mut Vec<u8>, outcome: &LineOutcome) {
    let _ = render(out, outcome);
}

fn render(out: &mut Vec<u8>, outcome: &LineOutcome) -> Tally {
    let start = out.len();
    let (written, tally) = match outcome {
        LineOutcome::Recorded => return Tally::Recorded,
        LineOutcome::Verdict(v) => (
            serde_json::to_writer(&mut *out, v),
            Tally::Verdict(v.verdict.decision),
        ),
        LineOutcome::Error { line, error } => (
            serde_json::to_writer(&mut *out, &ErrorLine::new(*line, error)),
            Tally::Error,
        ),
    };
    if let Err(e) = written {
        // Serializing these types into memory cannot fail; if it ever did, the line still
        // gets an answer rather than vanishing.
        out.truncate(start);
        let line = match outcome {
            LineOutcome::Error { line, .. } => *line,
            _ => 0,
        };
        let _ = serde_json::to_writer(
            &mut *out,
            &ErrorLine {
                line,
                error: format!("cannot write the outcome: {e}"),
            },
        );
        out.push(b'\n');
        return Tally::Error;
    }
    out.push(b'\n');
    tally
}

/// Screens a JSON Lines event stream on several cores, output in input order.
///
/// Every event of a borrower goes to the same shard (one [`Screener`] each), in input order,
/// so the outcome of every line is the one a single screener gives; each chunk of input is
/// parsed once, in parallel, screened shard by shard in parallel, and put back in order.
#[derive(Debug)]
pub struct ParallelScreener {
    shards: Vec<Screener>,
    pool: Option<rayon::ThreadPool>,
    jobs: usize,
    chunk_bytes: usize,
    chunk_lines: usize,
}

/// A parsed line: either done already (blank, or unreadable and of no borrower) or a line
/// for a borrower's shard (an event, or an unreadable line that leaves the borrower's ledger
/// incomplete).
enum Slot {
    Done(LineOutcome),
    Event {
        line: usize,
        shard: usize,
        event: Parsed,
    },
}

impl ParallelScreener {
    /// A screener on `jobs` worker threads (`0`: one per core) with the engine, default time
    /// zone and limits of `template` (not its ledgers: every borrower starts afresh). With
    /// one job everything runs on the calling thread.
    pub fn new(template: &Screener, jobs: usize) -> Result<ParallelScreener, BulkError> {
        let jobs = if jobs == 0 {
            std::thread::available_parallelism().map_or(1, usize::from)
        } else {
            jobs
        };
        let (pool, shards) = if jobs == 1 {
            (None, 1)
        } else {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .thread_name(|i| format!("collectguard-{i}"))
                .build()
                .map_err(|e| BulkError::Threads {
                    jobs,
                    message: e.to_string(),
                })?;
            (Some(pool), jobs * SHARDS_PER_JOB)
        };
        Ok(ParallelScreener {
            shards: (0..shards).map(|_| template.empty_like()).collect(),
            pool,
            jobs,
            chunk_bytes: CHUNK_BYTES,
            chunk_lines: CHUNK_LINES,
        })
    }

    /// Sets how many bytes and lines of input are screened together (at least one line).
    /// Larger chunks mean fewer synchronisations and more memory; the defaults are 1 MiB and
    /// 8192 lines.
    pub fn with_chunk(mut self, bytes: usize, lines: usize) -> ParallelScreener {
        self.chunk_bytes = bytes.max(1);
        self.chunk_lines = lines.max(1);
        self
    }

    /// How many worker threads screen.
    pub fn jobs(&self) -> usize {
        self.jobs
    }

    /// How many borrowers have a ledger.
    pub fn borrowers(&self) -> usize {
        self.shards.iter().map(Screener::borrowers).sum()
    }

    /// How many contacts the ledgers hold in all.
    pub fn ledger_contacts(&self) -> usize {
        self.shards.iter().map(Screener::ledger_contacts).sum()
    }

    fn shard_of(&self, borrower: &str) -> usize {
        // FNV-1a: stable across runs and platforms (the output does not depend on it, but
        // reproducible load makes timings comparable).
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in borrower.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // The modulo of a u64 by a usize that fits in u64 fits in usize.
        usize::try_from(h % self.shards.len().max(1) as u64).unwrap_or(0)
    }

    /// Screens a batch of lines, `(1-based line number, text or read error)`, following all
    /// the lines screened before. Returns one outcome per line, in order.
    pub fn screen_lines<'a, I>(&mut self, lines: I) -> Vec<LineOutcome>
    where
        I: IntoIterator<Item = (usize, Result<&'a str, ScreenError>)>,
    {
        if self.pool.is_none() {
            let Some(shard) = self.shards.first_mut() else {
                return Vec::new();
            };
            return lines
                .into_iter()
                .map(|(n, line)| match line {
                    Ok(text) => shard.push_line(n, text),
                    Err(error) => LineOutcome::Error { line: n, error },
                })
                .collect();
        }
        let lines: Vec<(usize, Result<&'a str, ScreenError>)> = lines.into_iter().collect();
        let Some(pool) = self.pool.take() else {
            return Vec::new();
        };
        let out = pool.install(|| self.screen_parallel(lines));
        self.pool = Some(pool);
        out
    }

    /// Screens one line on the first shard: the readers' path when there is no pool.
    fn push_line(&mut self, n: usize, line: Result<&str, ScreenError>) -> LineOutcome {
        match line {
            Ok(text) => match self.shards.first_mut() {
                Some(shard) => shard.push_line(n, text),
                None => LineOutcome::Recorded,
            },
            Err(error) => LineOutcome::Error { line: n, error },
        }
    }

    /// The input limits (the template screener's, which every shard shares).
    fn limits(&self) -> Limits {
        self.shards
            .first()
            .map(Screener::limits)
            .unwrap_or_default()
    }

    /// Parses `lines` in parallel and sorts the events by shard: returns the outcome of each
    /// line that needs no shard (in place) and each shard's `(position, line, event)` list.
    #[allow(clippy::type_complexity)]
    fn dispatch(
        &self,
        lines: Vec<(usize, Result<&str, ScreenError>)>,
    ) -> (Vec<Option<LineOutcome>>, Vec<Vec<(usize, usize, Parsed)>>) {
        let limits = self.limits();
        let slots: Vec<Slot> = lines
            .into_par_iter()
            .map(|(n, line)| match line {
                Err(error) => Slot::Done(LineOutcome::Error { line: n, error }),
                Ok(text) => {
                    let parsed = parse_line(limits, n, text);
                    match parsed.borrower().map(|b| self.shard_of(b)) {
                        Some(shard) => Slot::Event {
                            line: n,
                            shard,
                            event: parsed,
                        },
                        None => Slot::Done(match parsed {
                            Parsed::Unreadable { error, .. } => {
                                LineOutcome::Error { line: n, error }
                            }
                            _ => LineOutcome::Recorded,
                        }),
                    }
                }
            })
            .collect();
        let mut done: Vec<Option<LineOutcome>> = Vec::with_capacity(slots.len());
        let mut work: Vec<Vec<(usize, usize, Parsed)>> =
            (0..self.shards.len()).map(|_| Vec::new()).collect();
        for (pos, slot) in slots.into_iter().enumerate() {
            match slot {
                Slot::Done(o) => done.push(Some(o)),
                Slot::Event { line, shard, event } => {
                    done.push(None);
                    if let Some(w) = work.get_mut(shard) {
                        w.push((pos, line, event));
                    }
                }
            }
        }
        (done, work)
    }

    fn screen_parallel(
        &mut self,
        lines: Vec<(usize, Result<&str, ScreenError>)>,
    ) -> Vec<LineOutcome> {
        let (mut out, work) = self.dispatch(lines);
        let screened: Vec<Vec<(usize, LineOutcome)>> = self
            .shards
            .par_iter_mut()
            .zip(work.into_par_iter())
            .map(|(screener, items)| {
                items
                    .into_iter()
                    .map(|(pos, line, event)| (pos, screener.push_parsed(line, event)))
                    .collect()
            })
            .collect();
        for (pos, outcome) in screened.into_iter().flatten() {
            if let Some(slot) = out.get_mut(pos) {
                *slot = Some(outcome);
            }
        }
        // Every position holds a finished outcome or got exactly one from its shard.
        out.into_iter()
            .map(|o| o.unwrap_or(LineOutcome::Recorded))
            .collect()
    }

    /// Like [`ParallelScreener::screen_parallel`], but the workers also write each outcome's
    /// JSON line: returns the finished outcomes (in place) and each shard's buffer of JSON
    /// lines with where each position's line is in it.
    fn render_parallel(&mut self, lines: Vec<(usize, Result<&str, ScreenError>)>) -> Rendered {
        let (done, work) = self.dispatch(lines);
        let shards = self
            .shards
            .par_iter_mut()
            .zip(work.into_par_iter())
            .map(|(screener, items)| {
                let mut buf = Vec::with_capacity(items.len() * 256);
                let mut marks = Vec::with_capacity(items.len());
                for (pos, line, event) in items {
                    let outcome = screener.push_parsed(line, event);
                    let start = buf.len();
                    let tally = render(&mut buf, &outcome);
                    marks.push((pos, start..buf.len(), tally));
                }
                (buf, marks)
            })
            .collect();
        Rendered { done, shards }
    }

    /// Screens JSON Lines from `reader` to its end: `on_outcome` gets one outcome per line,
    /// in input order (contacts in = verdicts out + errors out); `on_progress` gets the
    /// number of input bytes consumed so far, after each chunk. Lines longer than the
    /// template's limit are errors, read past without being buffered.
    pub fn screen_reader<R, F, P>(
        &mut self,
        reader: R,
        mut on_outcome: F,
        mut on_progress: P,
    ) -> std::io::Result<()>
    where
        R: BufRead,
        F: FnMut(LineOutcome),
        P: FnMut(u64),
    {
        let consumed = Cell::new(0u64);
        let reader = Counting {
            inner: reader,
            consumed: &consumed,
        };
        let mut chunk = Chunk::default();
        let mut reported = 0u64;
        read_lines(reader, self.limits().max_line_bytes, |n, line| {
            if self.pool.is_none() {
                let outcome = self.push_line(n, line);
                on_outcome(outcome);
                let now = consumed.get();
                if now - reported >= self.chunk_bytes as u64 {
                    reported = now;
                    on_progress(now);
                }
                return;
            }
            chunk.push(n, line);
            if chunk.text.len() >= self.chunk_bytes || chunk.lines.len() >= self.chunk_lines {
                for o in self.screen_lines(chunk.lines()) {
                    on_outcome(o);
                }
                chunk.clear();
                on_progress(consumed.get());
            }
        })?;
        if !chunk.lines.is_empty() {
            for o in self.screen_lines(chunk.lines()) {
                on_outcome(o);
            }
        }
        on_progress(consumed.get());
        Ok(())
    }
}

impl ParallelScreener {
    /// Screens JSON Lines from `reader` to its end and writes the outcomes to `writer` as
    /// `collectguard check` prints them (one JSON line per contact or error, in input
    /// order); on several jobs the JSON is written by the workers too. `on_progress` gets
    /// the number of input bytes consumed so far, after each chunk.
    ///
    /// ```
    /// use collectguard::{Engine, ParallelScreener, Screener};
    ///
    /// let mut bulk = ParallelScreener::new(&Screener::new(Engine::from_pack("us")?), 2)?;
    /// let input = concat!(
    ///     r#"{"type":"borrower","id":"b1","time_zones":["America/New_York"]}"#, "\n",
    ///     r#"{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-02T15:00:00Z","channel":"call"}"#, "\n",
    ///     "{oops\n",
    /// );
    /// let mut out = Vec::new();
    /// let summary = bulk.screen_reader_json(input.as_bytes(), &mut out, |_| {})?;
    /// assert_eq!((summary.lines, summary.verdicts, summary.errors), (3, 1, 1));
    /// let out = String::from_utf8(out)?;
    /// assert!(out.starts_with(r#"{"id":"c1","decision":"#));
    /// assert!(out.lines().nth(1).unwrap().starts_with(r#"{"line":3,"error":"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn screen_reader_json<R, W, P>(
        &mut self,
        reader: R,
        mut writer: W,
        mut on_progress: P,
    ) -> std::io::Result<Summary>
    where
        R: BufRead,
        W: Write,
        P: FnMut(u64),
    {
        let consumed = Cell::new(0u64);
        let reader = Counting {
            inner: reader,
            consumed: &consumed,
        };
        let mut summary = Summary::default();
        let mut chunk = Chunk::default();
        let mut reported = 0u64;
        let mut scratch = Vec::with_capacity(1024);
        let mut failed: Option<std::io::Error> = None;
        read_lines(reader, self.limits().max_line_bytes, |n, line| {
            if failed.is_some() {
                return;
            }
            let result = if self.pool.is_none() {
                let outcome = self.push_line(n, line);
                scratch.clear();
                summary.add(render(&mut scratch, &outcome));
                let now = consumed.get();
                if now - reported >= self.chunk_bytes as u64 {
                    reported = now;
                    on_progress(now);
                }
                writer.write_all(&scratch)
            } else {
                chunk.push(n, line);
                if chunk.text.len() >= self.chunk_bytes || chunk.lines.len() >= self.chunk_lines {
                    let r = self.flush_json(&mut chunk, &mut writer, &mut summary);
                    on_progress(consumed.get());
                    r
                } else {
                    Ok(())
                }
            };
            if let Err(e) = result {
                failed = Some(e);
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        if !chunk.lines.is_empty() {
            self.flush_json(&mut chunk, &mut writer, &mut summary)?;
        }
        on_progress(consumed.get());
        writer.flush()?;
        Ok(summary)
    }

    fn flush_json<W: Write>(
        &mut self,
        chunk: &mut Chunk,
        writer: &mut W,
        summary: &mut Summary,
    ) -> std::io::Result<()> {
        let Some(pool) = self.pool.take() else {
            return Ok(());
        };
        let lines: Vec<(usize, Result<&str, ScreenError>)> = chunk.lines().collect();
        let rendered = pool.install(|| self.render_parallel(lines));
        self.pool = Some(pool);
        chunk.clear();
        rendered.write(writer, summary)
    }
}

/// A chunk screened and rendered by the workers, to be written in input order.
struct Rendered {
    /// Outcomes finished while parsing (`None` where a shard has the line).
    done: Vec<Option<LineOutcome>>,
    /// Each shard's JSON lines, and `(position, byte range, tally)` of each.
    #[allow(clippy::type_complexity)]
    shards: Vec<(Vec<u8>, Vec<(usize, Range<usize>, Tally)>)>,
}

impl Rendered {
    fn write<W: Write>(self, w: &mut W, summary: &mut Summary) -> std::io::Result<()> {
        let mut place: Vec<Option<(usize, Range<usize>, Tally)>> = vec![None; self.done.len()];
        for (shard, (_, marks)) in self.shards.iter().enumerate() {
            for (pos, range, tally) in marks {
                if let Some(p) = place.get_mut(*pos) {
                    *p = Some((shard, range.clone(), *tally));
                }
            }
        }
        let mut scratch = Vec::new();
        for (finished, placed) in self.done.iter().zip(place) {
            if let Some(outcome) = finished {
                scratch.clear();
                summary.add(render(&mut scratch, outcome));
                w.write_all(&scratch)?;
            } else if let Some((shard, range, tally)) = placed {
                summary.add(tally);
                let bytes = self
                    .shards
                    .get(shard)
                    .and_then(|(buf, _)| buf.get(range))
                    .unwrap_or_default();
                w.write_all(bytes)?;
            }
        }
        Ok(())
    }
}

/// Screens `lines` (numbered from 1) on `jobs` threads (`0`: one per core) with the
/// configuration of `template`; one outcome per line, in order.
///
/// ```
/// use collectguard::{screen_lines_parallel, Engine, LineOutcome, Screener};
///
/// let screener = Screener::new(Engine::from_pack("us")?);
/// let lines = [
///     r#"{"type":"borrower","id":"b1","time_zones":["America/Chicago"]}"#,
///     r#"{"type":"contact","id":"c1","borrower":"b1","at":"2026-03-02T16:00:00Z","channel":"sms"}"#,
/// ];
/// let out = screen_lines_parallel(&screener, &lines, 2)?;
/// assert!(matches!(&out[1], LineOutcome::Verdict(v) if v.id == "c1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn screen_lines_parallel(
    template: &Screener,
    lines: &[&str],
    jobs: usize,
) -> Result<Vec<LineOutcome>, BulkError> {
    let mut bulk = ParallelScreener::new(template, jobs)?;
    Ok(bulk.screen_lines(lines.iter().enumerate().map(|(i, l)| (i + 1, Ok(*l)))))
}

/// Lines of one chunk, copied out of the reader's buffer.
#[derive(Default)]
struct Chunk {
    text: String,
    lines: Vec<(usize, Result<Range<usize>, ScreenError>)>,
}

impl Chunk {
    fn push(&mut self, n: usize, line: Result<&str, ScreenError>) {
        let entry = line.map(|t| {
            let start = self.text.len();
            self.text.push_str(t);
            start..self.text.len()
        });
        self.lines.push((n, entry));
    }

    fn lines(&mut self) -> impl Iterator<Item = (usize, Result<&str, ScreenError>)> + '_ {
        let text = &self.text;
        self.lines
            .drain(..)
            .map(move |(n, r)| (n, r.map(|range| text.get(range).unwrap_or_default())))
    }

    fn clear(&mut self) {
        self.text.clear();
        self.lines.clear();
    }
}

/// A reader that counts the bytes consumed, for progress.
struct Counting<'c, R> {
    inner: R,
    consumed: &'c Cell<u64>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<'_, R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.consumed.set(self.consumed.get() + amt as u64);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    /// A mixed stream: declarations, contacts with and without outcomes, other events,
    /// unknown borrowers, redeclarations, out-of-order events, bad JSON and blank lines.
    fn stream(seed: u64, lines: usize) -> Vec<String> {
        let mut s = seed;
        let mut next = move |n: u64| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s % n
        };
        let zones = ["America/New_York", "America/Los_Angeles", "Asia/Shanghai"];
        let mut out = Vec::new();
        let mut t = 1_772_438_400i64; // 2026-03-02T08:00:00Z
        for i in 0..lines {
            t += i64::try_from(next(3600)).unwrap();
            let b = next(40);
            let at = chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339();
            let line = match next(20) {
                0 | 1 => format!(
                    r#"{{"type":"borrower","id":"b{b}","time_zones":["{}"]}}"#,
                    zones[usize::try_from(next(3)).unwrap()]
                ),
                2 => match next(3) {
                    0 => "{not json".to_string(),
                    // Damaged lines that still name the borrower whose ledger they would
                    // have changed: the borrower's later events are errors.
                    1 => format!(r#"{{"type":"cease","borrower":"b{b}","at":""#),
                    _ => format!(
                        r#"{{"type":"contact","id":"x{i}","borrower":"b{b}","at":"{at}","channel":"fax","outcome":"no_answer"}}"#
                    ),
                },
                3 => String::new(),
                4 => format!(r#"{{"type":"cease","borrower":"b{b}","at":"{at}"}}"#),
                5 => format!(
                    r#"{{"type":"contact","id":"late{i}","borrower":"b{b}","at":"2026-01-01T00:00:00Z","channel":"call","outcome":"no_answer"}}"#
                ),
                6 => format!(
                    r#"{{"type":"consent","borrower":"b{b}","at":"{at}","scope":"call_frequency"}}"#
                ),
                _ => {
                    let outcome = [
                        "",
                        r#","outcome":"no_answer""#,
                        r#","outcome":"conversation""#,
                    ][usize::try_from(next(3)).unwrap()];
                    format!(
                        r#"{{"type":"contact","id":"c{i}","borrower":"b{b}","at":"{at}","channel":"call","debts":["d{}"]{outcome}}}"#,
                        next(2)
                    )
                }
            };
            out.push(line);
        }
        out
    }

    fn sequential(template: &Screener, lines: &[String]) -> Vec<LineOutcome> {
        let mut s = template.empty_like();
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| s.push_line(i + 1, l))
            .collect()
    }

    fn template() -> Screener {
        Screener::new(Engine::from_pack("us").unwrap())
            .with_default_time_zone(chrono_tz::America::Chicago)
    }

    #[test]
    fn parallel_equals_sequential_line_for_line() {
        let template = template();
        for seed in [1u64, 7, 42, 1234] {
            let lines = stream(seed, 600);
            let expected = sequential(&template, &lines);
            assert!(expected
                .iter()
                .any(|o| matches!(o, LineOutcome::Error { .. })));
            assert!(expected
                .iter()
                .any(|o| matches!(o, LineOutcome::Verdict(_))));
            assert!(expected.iter().any(|o| matches!(
                o,
                LineOutcome::Error {
                    error: ScreenError::IncompleteLedger { .. },
                    ..
                }
            )));
            for jobs in [1, 2, 3] {
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let got = screen_lines_parallel(&template, &refs, jobs).unwrap();
                assert_eq!(got, expected, "seed {seed}, {jobs} jobs");
            }
        }
    }

    #[test]
    fn reader_chunks_preserve_order_and_count() {
        let template = template();
        let lines = stream(99, 500);
        let expected = sequential(&template, &lines);
        let mut input = lines.join("\n");
        input.push('\n');
        for (jobs, chunk_lines) in [(1, 8192), (2, 1), (2, 7), (3, 64)] {
            let mut bulk = ParallelScreener::new(&template, jobs)
                .unwrap()
                .with_chunk(1 << 20, chunk_lines);
            let mut got = Vec::new();
            let mut progress = Vec::new();
            bulk.screen_reader(input.as_bytes(), |o| got.push(o), |b| progress.push(b))
                .unwrap();
            assert_eq!(got, expected, "{jobs} jobs, chunks of {chunk_lines} lines");
            assert_eq!(progress.last().copied(), Some(input.len() as u64));
            assert!(progress.windows(2).all(|w| w[0] <= w[1]));
            let mut one = template.empty_like();
            for (i, l) in lines.iter().enumerate() {
                one.push_line(i + 1, l);
            }
            assert_eq!(bulk.borrowers(), one.borrowers());
            assert_eq!(bulk.ledger_contacts(), one.ledger_contacts());
        }
    }

    #[test]
    fn json_output_equals_sequential_rendering() {
        let template = template();
        let lines = stream(5, 700);
        let outcomes = sequential(&template, &lines);
        let mut expected = Vec::new();
        for o in &outcomes {
            write_outcome_json(&mut expected, o);
        }
        let count = |f: &dyn Fn(&LineOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
        let verdicts = count(&|o| matches!(o, LineOutcome::Verdict(_)));
        let errors = count(&|o| matches!(o, LineOutcome::Error { .. }));
        assert!(verdicts > 0 && errors > 0);
        let expected_text = String::from_utf8(expected.clone()).unwrap();
        assert_eq!(expected_text.lines().count(), verdicts + errors);
        let mut input = lines.join("\n");
        input.push('\n');
        for (jobs, chunk_lines) in [(1, 8192), (2, 1), (2, 13), (3, 100)] {
            let mut bulk = ParallelScreener::new(&template, jobs)
                .unwrap()
                .with_chunk(1 << 20, chunk_lines);
            let mut out = Vec::new();
            let summary = bulk
                .screen_reader_json(input.as_bytes(), &mut out, |_| {})
                .unwrap();
            assert_eq!(out, expected, "{jobs} jobs, chunks of {chunk_lines} lines");
            assert_eq!(summary.lines, lines.len());
            assert_eq!(summary.verdicts, verdicts);
            assert_eq!(summary.errors, errors);
            let denied = count(
                &|o| matches!(o, LineOutcome::Verdict(v) if v.verdict.decision == Decision::Deny),
            );
            assert_eq!(summary.denied, denied);
        }
    }

    #[test]
    fn read_errors_keep_their_place() {
        let template = template();
        let input = b"{\"type\":\"cease\",\"borrower\":\"x\",\"at\":\"2026-03-02T08:00:00Z\"}\n\xff\xfe\n0123456789012345678901234567890123456789\n\n";
        let limited = template.empty_like().with_limits(crate::Limits {
            max_line_bytes: 30,
            max_text_bytes: 10,
        });
        let mut bulk = ParallelScreener::new(&limited, 2).unwrap().with_chunk(1, 2);
        let mut got = Vec::new();
        bulk.screen_reader(&input[..], |o| got.push(o), |_| {})
            .unwrap();
        assert_eq!(got.len(), 4);
        assert!(matches!(
            &got[0],
            LineOutcome::Error {
                line: 1,
                error: ScreenError::LineTooLong { .. }
            }
        ));
        assert!(
            matches!(&got[1], LineOutcome::Error { line: 2, error: ScreenError::Json(m) } if m.contains("UTF-8"))
        );
        assert!(matches!(
            &got[2],
            LineOutcome::Error {
                line: 3,
                error: ScreenError::LineTooLong { .. }
            }
        ));
        assert_eq!(got[3], LineOutcome::Recorded);
    }

    #[test]
    fn a_byte_order_mark_is_read_on_the_first_line_only() {
        let input = "\u{feff}{\"type\":\"borrower\",\"id\":\"b1\",\"time_zones\":[\"UTC\"]}\n\u{feff}{\"type\":\"cease\",\"borrower\":\"b1\",\"at\":\"2026-03-02T08:00:00Z\"}\n";
        for jobs in [1, 2] {
            let mut bulk = ParallelScreener::new(&template(), jobs).unwrap();
            let mut got = Vec::new();
            bulk.screen_reader(input.as_bytes(), |o| got.push(o), |_| {})
                .unwrap();
            assert_eq!(got[0], LineOutcome::Recorded, "{jobs} jobs");
            assert!(
                matches!(&got[1], LineOutcome::Error { line: 2, .. }),
                "{jobs} jobs: {:?}",
                got[1]
            );
        }
    }

    #[test]
    fn zero_jobs_means_every_core() {
        let bulk = ParallelScreener::new(&template(), 0).unwrap();
        assert!(bulk.jobs() >= 1);
    }
}
