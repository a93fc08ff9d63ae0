//! 表三 rows that print fewer numbers than columns (zeros printed as blank cells) and that the
//! columns of the page could not place: placed by the table's identities instead.
//!
//! A short row's numbers keep their printed order; a placement puts them into an
//! order-preserving choice of columns, the others blank (0 in the identities, null in the
//! output). The combinations of placements of the unplaced rows, together with the rows
//! already read, under which every identity of spec/domain.md §4.5 holds — each row's 总计 is
//! the sum of its six cells; per column （七）总计 is the sum of the result rows and
//! 一 + 二 = （七）总计 + 四 — are the solutions. A row's own identity is met by each placement
//! tried; the column identities, one at a time, strike the placements no choice of the other
//! rows completes (pruning, repeated until nothing drops); a bounded depth-first search,
//! pruning again at each step, then looks for a solution containing each placement left. A
//! row is filled only if each of its cells has the same value (number or blank) under every
//! placement that is part of some solution; if there is no solution (a printed inconsistency)
//! or the search is too big, nothing changes. A cell left null for another reason is unknown:
//! an identity through it only asks that the unknown be some count ≥ 0.

use super::*;

/// Columns of a 表三 row; the last is 总计.
const COLS: usize = 7;
const TOTAL: usize = COLS - 1;

/// More steps of the search than this: give up (the rows stay null).
const MAX_STEPS_SEARCH: u64 = 1_000_000;

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

/// One identity: Σ coef × cell = 0, over (row index, column, coef).
pub(super) type Identity = Vec<(usize, usize, i128)>;

/// Every identity of 表三 for rows `kinds` (in table order): each row's 总计, then the columns'.
fn identities(kinds: &[ApplicationRow]) -> Vec<Identity> {
    let mut out: Vec<Identity> = Vec::new();
    for r in 0..kinds.len() {
        let mut id: Identity = (0..TOTAL).map(|c| (r, c, 1)).collect();
        id.push((r, TOTAL, -1));
        out.push(id);
    }
    out.extend(column_identities(kinds));
    out
}

/// The identities of each column: （七）总计 is the sum of the result rows, and
/// 一 + 二 = （七）总计 + 四.
pub(super) fn column_identities(kinds: &[ApplicationRow]) -> Vec<Identity> {
    let mut out: Vec<Identity> = Vec::new();
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
    // Each column's identities, one at a time: drop the placements no choice of the other
    // rows can complete (until nothing more drops), so the joint search stays small.
    if !prune(&mut cands, &base, &free) {
        return Outcome::None;
    }
    // A placement of a row is kept if some solution — a placement of every row under which
    // every identity holds — contains it: tried one by one, each solution found marking all
    // the placements it contains.
    let mut steps = 0u64;
    let mut kept: Vec<Vec<bool>> = cands.iter().map(|l| vec![false; l.len()]).collect();
    for r in 0..cands.len() {
        for p in 0..cands[r].len() {
            if kept[r][p] {
                continue;
            }
            let mut domains = cands.clone();
            domains[r] = vec![cands[r][p].clone()];
            match find(&mut domains, &base, &free, &mut steps) {
                Err(TooBig) => return Outcome::TooMany,
                Ok(None) => {}
                Ok(Some(solution)) => {
                    for (row, slots) in solution.iter().enumerate() {
                        if let Some(q) = cands[row].iter().position(|(s, _)| s == slots) {
                            kept[row][q] = true;
                        }
                    }
                }
            }
        }
    }
    if kept.iter().all(|k| !k.iter().any(|&x| x)) {
        return Outcome::None;
    }
    let value = |row: usize, slot: Option<usize>| -> Option<u64> {
        slot.and_then(|i| short[row].1.get(i).copied().flatten())
    };
    Outcome::Placed(
        cands
            .iter()
            .zip(&kept)
            .enumerate()
            .map(|(row, (list, k))| {
                let mut out = [None; COLS];
                for (c, o) in out.iter_mut().enumerate() {
                    let mut slots = list
                        .iter()
                        .zip(k)
                        .filter(|(_, x)| **x)
                        .map(|((s, _), _)| s[c]);
                    let Some(first) = slots.next() else {
                        continue;
                    };
                    if slots.all(|s| value(row, s) == value(row, first)) {
                        *o = Some(first);
                    }
                }
                out
            })
            .collect(),
    )
}

/// The search grew past [`MAX_STEPS_SEARCH`].
struct TooBig;

/// One solution within `domains` (each row's placements still possible), or none: prunes, then
/// tries each placement of the row with the fewest, depth first.
fn find(
    domains: &mut [Cands],
    base: &[i128],
    free: &[(bool, bool)],
    steps: &mut u64,
) -> Result<Option<Vec<[Option<usize>; COLS]>>, TooBig> {
    *steps += 1;
    if *steps > MAX_STEPS_SEARCH {
        return Err(TooBig);
    }
    // With one placement per row, pruning checks every identity exactly.
    if !prune(domains, base, free) {
        return Ok(None);
    }
    let Some(r) = (0..domains.len())
        .filter(|&r| domains[r].len() > 1)
        .min_by_key(|&r| domains[r].len())
    else {
        return Ok(Some(domains.iter().map(|l| l[0].0).collect()));
    };
    for p in 0..domains[r].len() {
        let mut next = domains.to_vec();
        next[r] = vec![domains[r][p].clone()];
        if let Some(solution) = find(&mut next, base, free, steps)? {
            return Ok(Some(solution));
        }
    }
    Ok(None)
}

/// Candidate placements of one short row: the column of each printed item, and what the
/// placement adds to each identity.
type Cands = Vec<([Option<usize>; COLS], Vec<i128>)>;

/// Most distinct partial sums of one identity that [`prune`] tracks; beyond, that identity is
/// left to the search.
const MAX_SUMS: usize = 100_000;

/// Removes, identity by identity, each placement of a row under which no choice of the other
/// rows' placements lets that identity hold (`base`: the known cells' sum; `free`: unknown
/// cells with coefficient +, −), repeating until nothing changes. Only placements that can be
/// part of no solution go, so the search finds the same placements. False if a row is left
/// with none.
fn prune(cands: &mut [Cands], base: &[i128], free: &[(bool, bool)]) -> bool {
    use std::collections::BTreeSet;
    loop {
        let mut changed = false;
        for n in 0..base.len() {
            // The distinct amounts each row can add to identity `n`.
            let adds: Vec<BTreeSet<i128>> = cands
                .iter()
                .map(|list| list.iter().map(|(_, d)| d[n]).collect())
                .collect();
            let keep_row: Vec<Option<BTreeSet<i128>>> = match free[n] {
                (true, true) => continue,
                (true, false) | (false, true) => {
                    // Only a bound: the others' least (or greatest) sum.
                    let lo: i128 = adds.iter().map(|a| a.first().copied().unwrap_or(0)).sum();
                    let hi: i128 = adds.iter().map(|a| a.last().copied().unwrap_or(0)).sum();
                    adds.iter()
                        .map(|a| {
                            let (mn, mx) = (
                                a.first().copied().unwrap_or(0),
                                a.last().copied().unwrap_or(0),
                            );
                            Some(
                                a.iter()
                                    .copied()
                                    .filter(|&v| {
                                        if free[n].0 {
                                            base[n] + lo - mn + v <= 0
                                        } else {
                                            base[n] + hi - mx + v >= 0
                                        }
                                    })
                                    .collect(),
                            )
                        })
                        .collect()
                }
                (false, false) => {
                    // Sums reachable by the rows before and after each row.
                    let reach = |rows: &mut dyn Iterator<Item = &BTreeSet<i128>>| {
                        let mut out = vec![Some(BTreeSet::from([0i128]))];
                        for a in rows {
                            let next = out.last().cloned().flatten().and_then(|prev| {
                                let mut s = BTreeSet::new();
                                for p in &prev {
                                    for v in a {
                                        s.insert(p + v);
                                    }
                                    if s.len() > MAX_SUMS {
                                        return None;
                                    }
                                }
                                Some(s)
                            });
                            out.push(next);
                        }
                        out
                    };
                    let before = reach(&mut adds.iter());
                    let mut after = reach(&mut adds.iter().rev());
                    after.reverse();
                    adds.iter()
                        .enumerate()
                        .map(|(r, a)| {
                            let (Some(b), Some(f)) = (&before[r], &after[r + 1]) else {
                                return None;
                            };
                            // The others' sums: every b + f (bounded by the smaller set).
                            let ok = |v: i128| {
                                let need = -(base[n] + v);
                                let (small, large) =
                                    if b.len() <= f.len() { (b, f) } else { (f, b) };
                                small.iter().any(|x| large.contains(&(need - x)))
                            };
                            Some(a.iter().copied().filter(|&v| ok(v)).collect())
                        })
                        .collect()
                }
            };
            for (list, keep) in cands.iter_mut().zip(keep_row) {
                let Some(keep) = keep else {
                    continue;
                };
                let before = list.len();
                list.retain(|(_, d)| keep.contains(&d[n]));
                if list.len() != before {
                    changed = true;
                }
                if list.is_empty() {
                    return false;
                }
            }
        }
        if !changed {
            return true;
        }
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

/// What [`place_by_identities`] did.
#[derive(Default)]
pub(super) struct Placing {
    /// The rows placed (key, row, line of the label).
    pub placed: Vec<(&'static str, ApplicationRow, usize)>,
    /// The short rows (keys) whose printed numbers fit the identities in at least one
    /// placement, jointly with every row read: placed or not, their numbers are accounted for.
    pub solved: Vec<&'static str>,
}

/// Places the `unplaced` rows of `table` by the identities where that is unique, with
/// provenance, replacing their notes.
pub(super) fn place_by_identities(
    ctx: &mut Ctx<'_>,
    t: Table,
    table: &mut Applications,
    unplaced: &[Unplaced],
) -> Placing {
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
        return Placing::default();
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
        return Placing::default();
    };
    let mut out = Placing {
        placed: Vec::new(),
        solved: used.iter().map(|u| specs[u.index].key).collect(),
    };
    for ((index, values), (u, slots)) in short.iter().zip(used.iter().zip(&agreed)) {
        if slots.iter().any(Option::is_none) {
            continue;
        }
        let spec = &specs[*index];
        let n = values.len();
        ctx.notes
            .retain(|note| !(note.row == Some(spec.key) && is_unplaceable_note(note, t)));
        let mut row = [None; COLS];
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate().take(COLS) {
            match slots[c].flatten().and_then(|i| u.cells.get(i).map(|it| (i, it))) {
                Some((i, item)) => {
                    let printed = ctx.printed(item);
                    row[c] = values[i];
                    let how = match values[i] {
                        Some(_) => How::Placed(format!(
                            "本行只印出 {n} 个数字（空白格未印 0），只有这样排列才符合表三各行各列的勾稽关系"
                        )),
                        None => How::Blank,
                    };
                    ctx.read_from(t, (spec.key, col.key), item, printed, how);
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
        out.placed.push((spec.key, spec.row, u.line));
    }
    out
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
    fn many_short_rows_are_solved_column_by_column() {
        // Thirteen result rows and （七）总计 printed short (blank cells unprinted), 一 printed
        // in full: too many combinations to try one by one. Every cell filled is the printed one.
        let (kinds, mut known) = grid(&[]);
        let results: Vec<usize> = (0..kinds.len()).filter(|&r| kinds[r].is_result()).collect();
        let mut truth = vec![[0u64; COLS]; kinds.len()];
        for (i, &r) in results.iter().take(13).enumerate() {
            let i = i as u64;
            let mut row = [i % 4 + 1, (i * 7) % 3, 0, i % 2, (i * 5) % 4, 0, 0];
            row[TOTAL] = row[..TOTAL].iter().sum();
            truth[r] = row;
        }
        let handled = at(&kinds, ApplicationRow::TotalHandled);
        let new = at(&kinds, ApplicationRow::NewReceived);
        truth[handled] = std::array::from_fn(|c| results.iter().map(|&r| truth[r][c]).sum());
        truth[new] = truth[handled];
        known[new] = truth[new].map(Cell::Known);
        let short: Vec<(usize, Vec<Option<u64>>)> = results
            .iter()
            .take(13)
            .chain([&handled])
            .map(|&r| {
                (
                    r,
                    truth[r]
                        .iter()
                        .filter(|&&v| v > 0)
                        .map(|&v| Some(v))
                        .collect(),
                )
            })
            .collect();
        let Outcome::Placed(rows) = solve(&kinds, &known, &short) else {
            panic!("no placement");
        };
        let mut filled = 0;
        for ((r, values), row) in short.iter().zip(&rows) {
            for c in 0..COLS {
                if let Some(slot) = row[c] {
                    assert_eq!(slot.and_then(|i| values[i]).unwrap_or(0), truth[*r][c]);
                    filled += 1;
                }
            }
        }
        assert!(filled > 0);
        // （七）总计 is the column sums, printed in full but for the blank columns.
        let h = short.len() - 1;
        assert!(rows[h].iter().all(Option::is_some));
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
