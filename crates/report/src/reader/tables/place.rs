//! 表三 rows that print fewer numbers than columns (zeros printed as blank cells) and that the
//! columns of the page could not place: placed by the table's identities instead.
//!
//! A short row's numbers keep their printed order; a placement puts them into an
//! order-preserving choice of columns, the others blank (0 in the identities, null in the
//! output). Every combination of placements of the unplaced rows is tried together with the
//! rows already read (a bounded search); only those under which every identity of
//! spec/domain.md §4.5 holds — each row's 总计 is the sum of its six cells; per column
//! （七）总计 is the sum of the result rows and 一 + 二 = （七）总计 + 四 — are kept. A row is
//! filled only if each of its cells has the same value (number or blank) in every placement
//! kept; if no placement is kept (a printed inconsistency) or the search is too big, nothing
//! changes. A cell left null for another reason is unknown: an identity through it only asks
//! that the unknown be some count ≥ 0.

use super::*;

/// Columns of a 表三 row; the last is 总计.
const COLS: usize = 7;
const TOTAL: usize = COLS - 1;

/// More steps of the search than this, or more placements that satisfy the identities: give
/// up (the rows stay null).
const MAX_STEPS_SEARCH: u64 = 1_000_000;
const MAX_FOUND: u64 = 10_000;

/// A cell of a row that was read, for the identities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cell {
    /// A printed count, or a blank (0).
    Known(u64),
    /// Null for another reason: some count ≥ 0.
    Unknown,
}

/// What came of the search.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    /// No placement satisfies the identities (or a row had no placement at all).
    None,
    /// Too many combinations to try.
    TooMany,
    /// For each short row, each column: `Some(cell)` where every kept placement agrees (the
    /// index of the printed item there, or `None` for a blank), `None` where they differ.
    Placed(Vec<[Option<Option<usize>>; COLS]>),
}

/// One identity: Σ coef × cell = 0.
type Identity = Vec<(usize, usize, i128)>;

fn identities(kinds: &[ApplicationRow]) -> Vec<Identity> {
    let mut out: Vec<Identity> = Vec::new();
    for r in 0..kinds.len() {
        let mut id: Identity = (0..TOTAL).map(|c| (r, c, 1)).collect();
        id.push((r, TOTAL, -1));
        out.push(id);
    }
    let at = |row: ApplicationRow| kinds.iter().position(|k| *k == row);
    let (Some(new), Some(over), Some(handled), Some(forward)) = (
        at(ApplicationRow::NewReceived),
        at(ApplicationRow::CarriedOver),
        at(ApplicationRow::TotalHandled),
        at(ApplicationRow::CarriedForward),
    ) else {
        return out;
    };
    for c in 0..COLS {
        let mut id: Identity = kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| k.is_result())
            .map(|(r, _)| (r, c, 1))
            .collect();
        id.push((handled, c, -1));
        out.push(id);
        out.push(vec![
            (new, c, 1),
            (over, c, 1),
            (handled, c, -1),
            (forward, c, -1),
        ]);
    }
    out
}

/// Order-preserving choices of `k` columns out of [`COLS`].
fn choices(k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for mask in 0u32..(1 << COLS) {
        if mask.count_ones() as usize == k {
            out.push((0..COLS).filter(|c| mask & (1 << c) != 0).collect());
        }
    }
    out
}

/// Solves the placement of the `short` rows (row index, printed values in order, `None` for a
/// printed blank marker) jointly with the `known` cells of every row (`kinds`: the rows of the
/// template, in order; the short rows' entries of `known` are ignored).
pub(super) fn solve(
    kinds: &[ApplicationRow],
    known: &[[Cell; COLS]],
    short: &[(usize, Vec<Option<u64>>)],
) -> Outcome {
    if short.is_empty() || known.len() != kinds.len() {
        return Outcome::None;
    }
    let ids = identities(kinds);
    let is_short = |r: usize| short.iter().any(|(s, _)| *s == r);
    // Sums of the known cells, and whether an unknown stands with coefficient + or −.
    let mut base = vec![0i128; ids.len()];
    let mut free = vec![(false, false); ids.len()];
    for (n, id) in ids.iter().enumerate() {
        for &(r, c, coef) in id {
            if is_short(r) {
                continue;
            }
            match known[r][c] {
                Cell::Known(v) => base[n] += coef * i128::from(v),
                Cell::Unknown if coef > 0 => free[n].0 = true,
                Cell::Unknown => free[n].1 = true,
            }
        }
    }
    // Each short row's placements (its own total must add up), as deltas to the identities.
    let mut cands: Vec<Cands> = Vec::new();
    for (r, values) in short {
        let k = values.len();
        if k == 0 || k >= COLS {
            return Outcome::None;
        }
        let mut list = Vec::new();
        for cols in choices(k) {
            let mut slots = [None; COLS];
            let mut cells = [0i128; COLS];
            for (i, &c) in cols.iter().enumerate() {
                slots[c] = Some(i);
                cells[c] = i128::from(values[i].unwrap_or(0));
            }
            if cells[..TOTAL].iter().sum::<i128>() != cells[TOTAL] {
                continue;
            }
            let delta = ids
                .iter()
                .map(|id| {
                    id.iter()
                        .filter(|(row, _, _)| row == r)
                        .map(|&(_, c, coef)| coef * cells[c])
                        .sum()
                })
                .collect();
            list.push((slots, delta));
        }
        if list.is_empty() {
            return Outcome::None;
        }
        cands.push(list);
    }
    // Bounds of what the rows not yet placed can still add to each identity.
    let n_ids = ids.len();
    let mut rest_min = vec![vec![0i128; n_ids]; cands.len() + 1];
    let mut rest_max = vec![vec![0i128; n_ids]; cands.len() + 1];
    for row in (0..cands.len()).rev() {
        for n in 0..n_ids {
            let ds = cands[row].iter().map(|(_, d)| d[n]);
            let (lo, hi) = ds.fold((i128::MAX, i128::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
            rest_min[row][n] = rest_min[row + 1][n] + lo;
            rest_max[row][n] = rest_max[row + 1][n] + hi;
        }
    }
    let mut search = Search {
        cands: &cands,
        free: &free,
        rest_min: &rest_min,
        rest_max: &rest_max,
        pick: vec![0; cands.len()],
        steps: 0,
        found: 0,
        agree: vec![[None; COLS]; short.len()],
        differs: vec![[false; COLS]; short.len()],
        values: short,
    };
    if !search.run(0, &mut base) {
        return Outcome::TooMany;
    }
    if search.found == 0 {
        return Outcome::None;
    }
    Outcome::Placed(
        search
            .agree
            .iter()
            .zip(&search.differs)
            .map(|(a, d)| {
                let mut out = *a;
                for (o, &differ) in out.iter_mut().zip(d) {
                    if differ {
                        *o = None;
                    }
                }
                out
            })
            .collect(),
    )
}

/// Candidate placements of one short row: the column of each printed item, and what the
/// placement adds to each identity.
type Cands = Vec<([Option<usize>; COLS], Vec<i128>)>;

/// The bounded depth-first search over the short rows' placements.
struct Search<'a> {
    cands: &'a [Cands],
    /// Per identity: an unknown cell with coefficient +, with coefficient −.
    free: &'a [(bool, bool)],
    rest_min: &'a [Vec<i128>],
    rest_max: &'a [Vec<i128>],
    pick: Vec<usize>,
    steps: u64,
    found: u64,
    agree: Vec<[Option<Option<usize>>; COLS]>,
    differs: Vec<[bool; COLS]>,
    values: &'a [(usize, Vec<Option<u64>>)],
}

impl Search<'_> {
    /// Whether identity sums `sums` (rows from `row` on still to come) can still hold.
    fn possible(&self, row: usize, sums: &[i128]) -> bool {
        sums.iter().enumerate().all(|(n, &s)| {
            let (lo, hi) = (s + self.rest_min[row][n], s + self.rest_max[row][n]);
            match self.free[n] {
                (true, true) => true,
                (true, false) => lo <= 0,
                (false, true) => hi >= 0,
                (false, false) => lo <= 0 && hi >= 0,
            }
        })
    }

    fn value(&self, row: usize, slot: Option<usize>) -> Option<u64> {
        slot.and_then(|i| self.values[row].1.get(i).copied().flatten())
    }

    /// Explores the placements of rows `row`…; false if the search grew too big.
    fn run(&mut self, row: usize, sums: &mut [i128]) -> bool {
        self.steps += 1;
        if self.steps > MAX_STEPS_SEARCH || self.found > MAX_FOUND {
            return false;
        }
        if !self.possible(row, sums) {
            return true;
        }
        if row == self.cands.len() {
            for r in 0..self.pick.len() {
                let slots = self.cands[r][self.pick[r]].0;
                for (c, &slot) in slots.iter().enumerate() {
                    match self.agree[r][c] {
                        _ if self.found == 0 => self.agree[r][c] = Some(slot),
                        Some(prev) if self.value(r, prev) != self.value(r, slot) => {
                            self.differs[r][c] = true;
                        }
                        _ => {}
                    }
                }
            }
            self.found += 1;
            return true;
        }
        for p in 0..self.cands[row].len() {
            self.pick[row] = p;
            for (s, d) in sums.iter_mut().zip(&self.cands[row][p].1) {
                *s += d;
            }
            let ok = self.run(row + 1, sums);
            for (s, d) in sums.iter_mut().zip(&self.cands[row][p].1) {
                *s -= d;
            }
            if !ok {
                return false;
            }
        }
        true
    }
}

/// A 表三 row whose numbers could not be placed by the columns of the page.
pub(super) struct Unplaced {
    /// Its index among the template's rows.
    pub index: usize,
    /// The line of its label.
    pub line: usize,
    /// Its printed cells, in order.
    pub cells: Vec<Item>,
}

/// The value of a printed cell of a short row: `Some(Some(v))` a count, `Some(None)` a blank
/// marker (`/`, `—`), `None` anything that is no count (the row is then not placed).
fn item_value(item: &Item) -> Option<Option<u64>> {
    match &item.kind {
        Kind::Num { digits, unit: None }
            if !(digits.len() > 1 && digits.starts_with('0'))
                && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            digits.parse::<u64>().ok().map(Some)
        }
        Kind::Blank if !item.norm.is_empty() => Some(None),
        _ => None,
    }
}

/// Places the `unplaced` rows of `table` by the identities where that is unique, with
/// provenance, replacing their notes. Returns the rows placed (key, row, line of the label).
pub(super) fn place_by_identities(
    ctx: &mut Ctx<'_>,
    t: Table,
    table: &mut Applications,
    unplaced: &[Unplaced],
) -> Vec<(&'static str, ApplicationRow, usize)> {
    let specs = table.template().application_rows();
    let mut short: Vec<(usize, Vec<Option<u64>>)> = Vec::new();
    let mut used: Vec<&Unplaced> = Vec::new();
    for u in unplaced {
        let values: Option<Vec<Option<u64>>> = u.cells.iter().map(item_value).collect();
        if let Some(values) = values
            && !values.is_empty()
            && values.len() < COLS
            && u.index < specs.len()
            && !short.iter().any(|(r, _)| *r == u.index)
        {
            short.push((u.index, values));
            used.push(u);
        }
    }
    if short.is_empty() {
        return Vec::new();
    }
    let kinds: Vec<ApplicationRow> = specs.iter().map(|s| s.row).collect();
    let known: Vec<[Cell; COLS]> = specs
        .iter()
        .map(|spec| {
            let cells = table.row(spec.row).copied().unwrap_or([None; COLS]);
            let mut out = [Cell::Unknown; COLS];
            for (c, col) in APPLICANT_COLUMNS.iter().enumerate().take(COLS) {
                out[c] = match cells[c] {
                    Some(v) => Cell::Known(v),
                    None if ctx.provenance.iter().any(|p| {
                        p.table == t
                            && p.row == spec.key
                            && p.column == col.key
                            && p.how == How::Blank
                    }) =>
                    {
                        Cell::Known(0)
                    }
                    None => Cell::Unknown,
                };
            }
            out
        })
        .collect();
    let Outcome::Placed(agreed) = solve(&kinds, &known, &short) else {
        return Vec::new();
    };
    let mut placed = Vec::new();
    for ((index, values), (u, slots)) in short.iter().zip(used.iter().zip(&agreed)) {
        if slots.iter().any(Option::is_none) {
            continue;
        }
        let spec = &specs[*index];
        let n = values.len();
        ctx.notes.retain(|note| {
            !(note.kind == NoteKind::CellUnreadable
                && note.table == Some(t)
                && note.row == Some(spec.key)
                && note.column.is_none()
                && note.message.starts_with("本行只印出"))
        });
        let mut row = [None; COLS];
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate().take(COLS) {
            match slots[c].flatten().and_then(|i| u.cells.get(i).map(|it| (i, it))) {
                Some((i, item)) => {
                    let printed = ctx.printed(item);
                    row[c] = values[i];
                    ctx.provenance.push(Provenance {
                        table: t,
                        row: spec.key,
                        column: col.key,
                        line: item.line,
                        cols: (item.col, item.end),
                        printed,
                        how: match values[i] {
                            Some(_) => How::Placed(format!(
                                "本行只印出 {n} 个数字（空白格未印 0），只有这样排列才符合表三各行各列的勾稽关系"
                            )),
                            None => How::Blank,
                        },
                    });
                }
                None => ctx.note(
                    NoteKind::CellMissing,
                    t,
                    Some(spec.key),
                    Some(col.key),
                    Some(u.line),
                    format!(
                        "本行只印出 {n} 个数字，按表三的勾稽关系定位后此格没有印出数字：空白（null）"
                    ),
                ),
            }
        }
        if let Some(slot) = table.row_mut(spec.row) {
            *slot = row;
        }
        placed.push((spec.key, spec.row, u.line));
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 2021 template's rows, all blank (0), with `set` rows given.
    fn grid(set: &[(ApplicationRow, [u64; COLS])]) -> (Vec<ApplicationRow>, Vec<[Cell; COLS]>) {
        let kinds: Vec<ApplicationRow> = Template::Y2021
            .application_rows()
            .iter()
            .map(|s| s.row)
            .collect();
        let known = kinds
            .iter()
            .map(|k| {
                set.iter()
                    .find(|(r, _)| r == k)
                    .map_or([Cell::Known(0); COLS], |(_, v)| v.map(Cell::Known))
            })
            .collect();
        (kinds, known)
    }

    fn at(kinds: &[ApplicationRow], row: ApplicationRow) -> usize {
        kinds.iter().position(|k| *k == row).unwrap_or(usize::MAX)
    }

    #[test]
    fn a_unique_placement_is_found() {
        // 一: 5 自然人, 2 商业企业 → 7; 二 blank; all granted; （七）总计 printed "5 2 7".
        let (kinds, known) = grid(&[
            (ApplicationRow::NewReceived, [5, 2, 0, 0, 0, 0, 7]),
            (ApplicationRow::Granted, [5, 2, 0, 0, 0, 0, 7]),
        ]);
        let handled = at(&kinds, ApplicationRow::TotalHandled);
        let out = solve(
            &kinds,
            &known,
            &[(handled, vec![Some(5), Some(2), Some(7)])],
        );
        assert_eq!(
            out,
            Outcome::Placed(vec![[
                Some(Some(0)),
                Some(Some(1)),
                Some(None),
                Some(None),
                Some(None),
                Some(None),
                Some(Some(2))
            ]])
        );
    }

    #[test]
    fn two_placements_leave_the_differing_cells_open() {
        // 1.其他 printed "3 3": 自然人 or 商业企业 or …; 一 and （七） also short "3 3" — each
        // column's identities hold whichever column both take.
        let (kinds, known) = grid(&[]);
        let handled = at(&kinds, ApplicationRow::TotalHandled);
        let new = at(&kinds, ApplicationRow::NewReceived);
        let granted = at(&kinds, ApplicationRow::Granted);
        let short = [
            (new, vec![Some(3), Some(3)]),
            (granted, vec![Some(3), Some(3)]),
            (handled, vec![Some(3), Some(3)]),
        ];
        let Outcome::Placed(rows) = solve(&kinds, &known, &short) else {
            panic!("no placement");
        };
        for row in rows {
            assert_eq!(row[0], None);
            assert_eq!(row[6], Some(Some(1)));
        }
    }

    #[test]
    fn no_placement_is_none() {
        // The row's own numbers do not add up in any placement.
        let (kinds, known) = grid(&[]);
        let handled = at(&kinds, ApplicationRow::TotalHandled);
        assert_eq!(
            solve(
                &kinds,
                &known,
                &[(handled, vec![Some(5), Some(2), Some(9)])]
            ),
            Outcome::None
        );
        // It adds up alone, but the columns do not: 一 prints nothing, 4 in （七）总计.
        assert_eq!(
            solve(&kinds, &known, &[(handled, vec![Some(4), Some(4)])]),
            Outcome::None
        );
    }

    #[test]
    fn an_unknown_cell_asks_only_for_a_count() {
        // 一's 自然人 and 总计 unknown, its other cells known 0: （七）总计 "4 4" fits only
        // under 自然人.
        let (kinds, mut known) = grid(&[]);
        let new = at(&kinds, ApplicationRow::NewReceived);
        known[new][0] = Cell::Unknown;
        known[new][TOTAL] = Cell::Unknown;
        let handled = at(&kinds, ApplicationRow::TotalHandled);
        let granted = at(&kinds, ApplicationRow::Granted);
        let out = solve(
            &kinds,
            &known,
            &[
                (handled, vec![Some(4), Some(4)]),
                (granted, vec![Some(4), Some(4)]),
            ],
        );
        let Outcome::Placed(rows) = out else {
            panic!("no placement");
        };
        assert_eq!(rows[0][0], Some(Some(0)));
        assert_eq!(rows[0][1], Some(None));
    }
}
