//! Cutting one printed digit run into a fixed number of cells: every way to cut that respects
//! what a cell may look like (no leading zero unless the cell is `0`) and, where the layout has
//! them, the block sums (the last cell of each block is the sum of the others).

use super::Reason;

/// What a cell of the run may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A non-negative integer.
    Count,
    /// A signed change (本年增/减): an optional `+`/`-` and an integer.
    Change,
    /// A decimal amount, kept as printed.
    Amount,
}

/// A printed run after normalisation: ASCII digits (and `.`, `+`, `-` where amounts or changes
/// may appear), with the places where the printed text had white space.
#[derive(Debug, Clone)]
pub(crate) struct Printed {
    /// The characters, one byte each.
    pub chars: Vec<u8>,
    /// `gap[i]`: white space was printed just before `chars[i]`.
    pub gap: Vec<bool>,
}

/// Longest integer cell accepted: counts in these tables never come near 10^15, and the limit
/// keeps every sum inside `u64`.
const MAX_INT_DIGITS: usize = 15;

impl Printed {
    /// Normalises `text`: full-width digits and points become ASCII, white space becomes gaps.
    /// `signs` allows `+`, `-` and `.` (表二); otherwise only digits are accepted.
    pub fn parse(text: &str, signs: bool) -> Result<Printed, Reason> {
        let mut chars = Vec::with_capacity(text.len());
        let mut gap = Vec::with_capacity(text.len());
        let mut pending_gap = false;
        for c in text.chars() {
            let c = match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                '－' | '−' => '-',
                '＋' => '+',
                c => c,
            };
            if c.is_whitespace() {
                pending_gap = true;
                continue;
            }
            let ok = c.is_ascii_digit() || (signs && matches!(c, '.' | '+' | '-'));
            if !ok {
                return Err(Reason::NotDigits {
                    text: text.trim().to_owned(),
                });
            }
            chars.push(c as u8);
            gap.push(pending_gap);
            pending_gap = false;
        }
        if let Some(first) = gap.first_mut() {
            *first = false;
        }
        if chars.is_empty() {
            return Err(Reason::Empty);
        }
        Ok(Printed { chars, gap })
    }

    /// The printed text of `chars[start..end]`.
    pub fn text(&self, start: usize, end: usize) -> String {
        self.chars
            .get(start..end)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default()
    }

    /// How many places print white space.
    pub fn gap_count(&self) -> usize {
        self.gap.iter().filter(|g| **g).count()
    }

    /// Whether every printed gap falls on a cell boundary of `bounds`.
    pub fn gaps_respected(&self, bounds: &[usize]) -> bool {
        self.gap
            .iter()
            .enumerate()
            .filter(|(_, g)| **g)
            .all(|(i, _)| bounds.contains(&i))
    }
}

/// One way to cut a run: `bounds` has one entry more than there are cells (the first is 0,
/// the last the run's length); `nums` holds the value of each integer cell (0 for amounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut {
    pub bounds: Vec<usize>,
    pub nums: Vec<i64>,
}

/// The cells of a run and the sums that tie them.
pub(crate) struct Layout<'a> {
    /// Kind of each cell.
    pub kinds: &'a [Kind],
    /// If set, cells come in blocks of this size and each block's last cell is the sum of the
    /// block's other cells (表三 rows: 7; 表四: 5).
    pub block: Option<usize>,
}

/// The search stopped at its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooMany;

/// Search bounds: explored nodes and kept cuts.
const NODE_LIMIT: usize = 100_000;
const CUT_LIMIT: usize = 2_000;

/// Every cut of `printed` into `layout`'s cells.
pub(crate) fn cuts(printed: &Printed, layout: &Layout<'_>) -> Result<Vec<Cut>, TooMany> {
    let mut search = Search {
        s: &printed.chars,
        layout,
        bounds: vec![0],
        nums: Vec::with_capacity(layout.kinds.len()),
        out: Vec::new(),
        nodes: 0,
    };
    search.go(0, 0)?;
    Ok(search.out)
}

struct Search<'a, 'b> {
    s: &'a [u8],
    layout: &'a Layout<'b>,
    bounds: Vec<usize>,
    nums: Vec<i64>,
    out: Vec<Cut>,
    nodes: usize,
}

fn digit_count(mut n: i64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

impl Search<'_, '_> {
    fn go(&mut self, pos: usize, cell: usize) -> Result<(), TooMany> {
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            return Err(TooMany);
        }
        let n = self.s.len();
        let cells = self.layout.kinds.len();
        if cell == cells {
            if pos == n {
                if self.out.len() >= CUT_LIMIT {
                    return Err(TooMany);
                }
                self.out.push(Cut {
                    bounds: self.bounds.clone(),
                    nums: self.nums.clone(),
                });
            }
            return Ok(());
        }
        let left = cells - cell; // cells still to fill, this one included
        if n - pos < left {
            return Ok(());
        }
        if let Some(m) = self.layout.block
            && m > 0
            && cell % m == m - 1
        {
            // A block total: its digits are forced by the cells before it.
            let start = cell + 1 - m;
            let sum: i64 = self.nums.get(start..cell).map_or(0, |s| s.iter().sum());
            let text = sum.to_string();
            let len = text.len();
            if self.s.get(pos..pos + len) == Some(text.as_bytes()) && n - pos - len >= left - 1 {
                self.push(pos + len, sum);
                self.go(pos + len, cell + 1)?;
                self.pop();
            }
            return Ok(());
        }
        let kind = self.layout.kinds.get(cell).copied().unwrap_or(Kind::Count);
        let max_len = n - pos - (left - 1);
        for len in 1..=max_len {
            let Some(piece) = self.s.get(pos..pos + len) else {
                break;
            };
            match valid(piece, kind) {
                Validity::Ok(value) => {
                    if let Some(m) = self.layout.block
                        && m > 0
                    {
                        // The block's total needs at least as many digits as the running sum.
                        let block_start = cell - cell % m;
                        let sum: i64 = self
                            .nums
                            .get(block_start..cell)
                            .map_or(0, |s| s.iter().sum())
                            + value;
                        let before_total = m - 1 - cell % m - 1; // cells after this one, before the total
                        let after_block = cells - (block_start + m);
                        let need = before_total + digit_count(sum) + after_block;
                        if n - pos - len < need {
                            break; // longer pieces only make the sum larger
                        }
                    }
                    self.push(pos + len, value);
                    self.go(pos + len, cell + 1)?;
                    self.pop();
                }
                Validity::Skip => {}
                Validity::Stop => break,
            }
        }
        Ok(())
    }

    fn push(&mut self, end: usize, value: i64) {
        self.bounds.push(end);
        self.nums.push(value);
    }

    fn pop(&mut self) {
        self.bounds.pop();
        self.nums.pop();
    }
}

enum Validity {
    Ok(i64),
    /// Not a cell, but a longer piece may be.
    Skip,
    /// Neither this nor any longer piece is a cell.
    Stop,
}

fn int_value(digits: &[u8]) -> Validity {
    if digits.is_empty() {
        return Validity::Skip;
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return Validity::Stop;
    }
    if digits.len() > 1 && digits.first() == Some(&b'0') {
        return Validity::Stop;
    }
    if digits.len() > MAX_INT_DIGITS {
        return Validity::Stop;
    }
    let v = digits
        .iter()
        .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
    Validity::Ok(v)
}

fn valid(piece: &[u8], kind: Kind) -> Validity {
    match kind {
        Kind::Count => int_value(piece),
        Kind::Change => match piece.first() {
            Some(b'+') | Some(b'-') => {
                let neg = piece.first() == Some(&b'-');
                match int_value(piece.get(1..).unwrap_or_default()) {
                    Validity::Ok(0) => Validity::Stop, // a sign before 0 is not printed
                    Validity::Ok(v) => Validity::Ok(if neg { -v } else { v }),
                    other => other,
                }
            }
            _ => int_value(piece),
        },
        Kind::Amount => {
            let dots = piece.iter().filter(|c| **c == b'.').count();
            if piece.iter().any(|c| !(c.is_ascii_digit() || *c == b'.')) || dots > 1 {
                return Validity::Stop;
            }
            let int_part_len = piece.iter().position(|c| *c == b'.').unwrap_or(piece.len());
            if int_part_len == 0 {
                return Validity::Stop;
            }
            if int_part_len > 1 && piece.first() == Some(&b'0') {
                return Validity::Stop;
            }
            if piece.last() == Some(&b'.') {
                return Validity::Skip;
            }
            Validity::Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, layout: &Layout<'_>) -> Vec<Vec<i64>> {
        let p = Printed::parse(text, true).unwrap_or_else(|e| panic!("{e}"));
        cuts(&p, layout)
            .unwrap_or_else(|_| panic!("too many"))
            .into_iter()
            .map(|c| c.nums)
            .collect()
    }

    #[test]
    fn row_sum_leaves_two_cuts_of_the_2021_pingtan_granted_row() {
        let kinds = [Kind::Count; 7];
        let layout = Layout {
            kinds: &kinds,
            block: Some(7),
        };
        let mut got = values("270020130", &layout);
        got.sort();
        assert_eq!(
            got,
            vec![vec![2, 7, 0, 0, 20, 1, 30], vec![27, 0, 0, 2, 0, 1, 30]]
        );
    }

    #[test]
    fn leading_zeros_only_for_zero() {
        let kinds = [Kind::Count; 3];
        let layout = Layout {
            kinds: &kinds,
            block: None,
        };
        assert_eq!(values("1005", &layout), vec![vec![10, 0, 5]]);
    }

    #[test]
    fn amounts_keep_their_decimal_point_in_one_cell() {
        let kinds = [Kind::Count, Kind::Amount];
        let layout = Layout {
            kinds: &kinds,
            block: None,
        };
        assert_eq!(values("12.5", &layout).len(), 1);
        assert_eq!(values("135.5", &layout).len(), 2);
    }
}
