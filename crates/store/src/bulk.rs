//! Multi-row `INSERT … VALUES (…), (…)` for bulk loads (the demo-data generator): rows are
//! buffered per table and written as one statement per batch, as many rows as the engine's
//! parameter limit allows, inside the caller's transaction. A million rows one statement each
//! take an hour through sqlx; in batches, a minute.

use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Backend, Result};

/// Bound parameters per statement: SQLite's `SQLITE_MAX_VARIABLE_NUMBER` (32766 since 3.32)
/// and PostgreSQL's protocol limit (65535, a 16-bit count).
const fn parameter_limit(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 32_766,
        Backend::Postgres => 65_535,
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// An integer.
    Int(i64),
    /// An integer or NULL.
    OptInt(Option<i64>),
    /// Text.
    Text(String),
    /// Text or NULL.
    OptText(Option<String>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Int(v)
    }
}

impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Cell {
        Cell::OptInt(v)
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(v.to_owned())
    }
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        Cell::OptText(v)
    }
}

/// The buffered rows of one table.
#[derive(Debug)]
pub(crate) struct Bulk {
    backend: Backend,
    table: &'static str,
    columns: &'static [&'static str],
    rows_per_statement: usize,
    rows: Vec<Vec<Cell>>,
    written: u64,
}

impl Bulk {
    /// A buffer for `table`'s `columns` (static names: no input reaches the SQL text).
    pub(crate) fn new(
        backend: Backend,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Bulk {
        let rows_per_statement = (parameter_limit(backend) / columns.len()).max(1);
        Bulk {
            backend,
            table,
            columns,
            rows_per_statement,
            rows: Vec::with_capacity(rows_per_statement),
            written: 0,
        }
    }

    /// Adds a row (one cell per column), writing a full batch. For a table whose rows refer
    /// to rows still buffered elsewhere, use [`Bulk::add`] and [`flush_in_order`] instead.
    pub(crate) async fn push(&mut self, conn: &mut AnyConnection, row: Vec<Cell>) -> Result<()> {
        self.add(row);
        if self.is_full() {
            self.flush(conn).await?;
        }
        Ok(())
    }

    /// Adds a row without writing.
    pub(crate) fn add(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.table);
        self.rows.push(row);
    }

    /// Whether a statement's worth of rows waits.
    pub(crate) fn is_full(&self) -> bool {
        self.rows.len() >= self.rows_per_statement
    }

    /// Writes the buffered rows, a statement's worth at a time (a buffer filled by
    /// [`Bulk::add`] may hold more).
    pub(crate) async fn flush(&mut self, conn: &mut AnyConnection) -> Result<()> {
        while !self.rows.is_empty() {
            let take = self.rows.len().min(self.rows_per_statement);
            self.write(conn, take).await?;
        }
        Ok(())
    }

    /// Writes the first `take` buffered rows in one statement.
    async fn write(&mut self, conn: &mut AnyConnection, take: usize) -> Result<()> {
        let sql = self.statement(take);
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in self.rows.drain(..take) {
            for cell in row {
                query = match cell {
                    Cell::Int(v) => query.bind(v),
                    Cell::OptInt(v) => query.bind(v),
                    Cell::Text(v) => query.bind(v),
                    Cell::OptText(v) => query.bind(v),
                };
            }
        }
        let done = query.execute(&mut *conn).await?;
        self.written += done.rows_affected();
        Ok(())
    }

    /// Rows written so far.
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4), …` for `rows` rows (`?` on SQLite).
    fn statement(&self, rows: usize) -> String {
        let width = self.columns.len();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.table,
            self.columns.join(", ")
        );
        sql.reserve(rows * width * 7);
        for r in 0..rows {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..width {
                if c > 0 {
                    sql.push_str(", ");
                }
                match self.backend {
                    // SQLite looks each `$N` name up in a list, which makes a statement of
                    // 30,000 of them quadratic to prepare; a bare `?` is numbered in order.
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => {
                        sql.push('$');
                        sql.push_str(&(r * width + c + 1).to_string());
                    }
                }
            }
            sql.push(')');
        }
        sql
    }
}

/// Writes the buffers, parents first (foreign keys are checked at each statement's end), once
/// any of them is full; `force` writes them all.
pub(crate) async fn flush_in_order(
    conn: &mut AnyConnection,
    buffers: &mut [&mut Bulk],
    force: bool,
) -> Result<()> {
    if force || buffers.iter().any(|b| b.is_full()) {
        for b in buffers.iter_mut() {
            b.flush(conn).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_number_every_parameter_and_stay_under_the_limit() {
        let bulk = Bulk::new(Backend::Postgres, "t", &["a", "b"]);
        assert_eq!(
            bulk.statement(2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        let bulk = Bulk::new(Backend::Sqlite, "t", &["a", "b"]);
        assert_eq!(
            bulk.statement(2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let wide = Bulk::new(backend, "t", &["a"; 24]);
            assert!(wide.rows_per_statement * 24 <= parameter_limit(backend));
            assert!(wide.rows_per_statement > 1000);
        }
    }

    #[tokio::test]
    async fn an_overfull_buffer_is_written_in_statements_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let location = crate::Location::SqliteFile(dir.path().join("bulk.db"));
        let store = crate::Store::open(&location).await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("CREATE TABLE t (a INTEGER, b TEXT)")
            .execute(&mut *conn)
            .await
            .unwrap();
        let mut bulk = Bulk::new(Backend::Sqlite, "t", &["a", "b"]);
        // Two and a half statements' worth, added without writing (as `add` callers do).
        let rows = bulk.rows_per_statement * 5 / 2;
        for i in 0..rows {
            bulk.add(vec![Cell::Int(i as i64), Cell::Text(i.to_string())]);
        }
        bulk.flush(&mut conn).await.unwrap();
        assert_eq!(bulk.written(), rows as u64);
        let sum: i64 = sqlx::query_scalar("SELECT SUM(a) FROM t")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(sum, (rows * (rows - 1) / 2) as i64);
    }
}
