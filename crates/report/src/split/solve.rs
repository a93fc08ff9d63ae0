//! The joint search: one cut per row such that every linear identity across rows holds
//! (表三: 一 + 二 = （七） + 四 and （七） = Σ result rows, column by column).

/// `Σ coef · cell(row, column) = 0` over the listed rows, for one column.
#[derive(Debug, Clone)]
pub(crate) struct Equation {
    pub column: usize,
    pub terms: Vec<(usize, i64)>,
}

/// The joint solutions found: for each, the index of the chosen cut of every row.
#[derive(Debug, Clone)]
pub(crate) struct Solutions {
    pub list: Vec<Vec<usize>>,
    /// False when the search stopped at its bound: `list` is then not every solution.
    pub complete: bool,
}

const NODE_LIMIT: usize = 300_000;
const SOLUTION_LIMIT: usize = 2_000;

/// Every choice of one cut per row (`rows[r]` lists row r's cuts as cell values) that
/// satisfies every equation. Rows must each have at least one cut.
pub(crate) fn solve(rows: &[Vec<&[i64]>], equations: &[Equation]) -> Solutions {
    // Per row and column: the least and greatest value over the row's cuts, for pruning.
    let bounds: Vec<Vec<(i64, i64)>> = rows
        .iter()
        .map(|cuts| {
            let width = cuts.iter().map(|c| c.len()).max().unwrap_or(0);
            (0..width)
                .map(|col| {
                    let vals = cuts.iter().filter_map(|c| c.get(col).copied());
                    let lo = vals.clone().min().unwrap_or(0);
                    let hi = vals.max().unwrap_or(0);
                    (lo, hi)
                })
                .collect()
        })
        .collect();
    // Fewest alternatives first: forced rows fix most of each equation at once.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|r| rows.get(*r).map_or(0, Vec::len));
    let mut state = State {
        rows,
        equations,
        bounds,
        order,
        chosen: vec![None; rows.len()],
        list: Vec::new(),
        nodes: 0,
        stopped: false,
    };
    state.go(0);
    Solutions {
        complete: !state.stopped,
        list: state.list,
    }
}

struct State<'a> {
    rows: &'a [Vec<&'a [i64]>],
    equations: &'a [Equation],
    bounds: Vec<Vec<(i64, i64)>>,
    order: Vec<usize>,
    chosen: Vec<Option<usize>>,
    list: Vec<Vec<usize>>,
    nodes: usize,
    stopped: bool,
}

impl State<'_> {
    fn value(&self, row: usize, cut: usize, col: usize) -> i64 {
        self.rows
            .get(row)
            .and_then(|cuts| cuts.get(cut))
            .and_then(|c| c.get(col))
            .copied()
            .unwrap_or(0)
    }

    /// Whether every equation can still hold given the rows chosen so far.
    fn feasible(&self) -> bool {
        self.equations.iter().all(|eq| {
            let (mut lo, mut hi) = (0i64, 0i64);
            for &(row, coef) in &eq.terms {
                let (a, b) = match self.chosen.get(row).copied().flatten() {
                    Some(cut) => {
                        let v = self.value(row, cut, eq.column);
                        (v, v)
                    }
                    None => self
                        .bounds
                        .get(row)
                        .and_then(|b| b.get(eq.column))
                        .copied()
                        .unwrap_or((0, 0)),
                };
                if coef >= 0 {
                    lo += coef * a;
                    hi += coef * b;
                } else {
                    lo += coef * b;
                    hi += coef * a;
                }
            }
            lo <= 0 && 0 <= hi
        })
    }

    fn go(&mut self, depth: usize) {
        if self.stopped {
            return;
        }
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            self.stopped = true;
            return;
        }
        if !self.feasible() {
            return;
        }
        let Some(&row) = self.order.get(depth) else {
            if self.list.len() >= SOLUTION_LIMIT {
                self.stopped = true;
                return;
            }
            self.list
                .push(self.chosen.iter().map(|c| c.unwrap_or(0)).collect());
            return;
        };
        let count = self.rows.get(row).map_or(0, Vec::len);
        for cut in 0..count {
            if let Some(slot) = self.chosen.get_mut(row) {
                *slot = Some(cut);
            }
            self.go(depth + 1);
            if self.stopped {
                break;
            }
        }
        if let Some(slot) = self.chosen.get_mut(row) {
            *slot = None;
        }
    }
}
