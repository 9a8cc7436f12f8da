//! Versioned migrations. The schema version lives in SQLite's
//! `PRAGMA user_version`; each migration runs in its own transaction and
//! sets the version it reaches, so a crash leaves the file at a whole
//! version. A file marked with another `application_id`, or with tables but
//! no version, is not ours and is refused; so is a version newer than this
//! binary knows.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;

/// `PRAGMA application_id` of a her2bot store ("H2BT").
pub const APPLICATION_ID: i32 = 0x4832_4254;

/// One schema step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The version the step reaches.
    pub version: u32,
    /// What it adds, for messages.
    pub what: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, in order; `MIGRATIONS[i].version == i + 1`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        what: "decision counters, votes, unanswered questions",
        sql: include_str!("schema/v1.sql"),
    },
    Migration { version: 2, what: "scheduled topic posts", sql: include_str!("schema/v2.sql") },
];

/// The newest schema version this binary knows.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The schema version of an open database.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
        .map(|v| u32::try_from(v).unwrap_or(u32::MAX))
}

/// Brings the database at `path` to [`LATEST`]; returns the version it had.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<u32, StoreError> {
    migrate_to(conn, path, LATEST)
}

/// Brings the database to `target` (at most [`LATEST`]); returns the
/// version it had. Refuses files that are not her2bot stores and files
/// newer than this binary.
pub fn migrate_to(conn: &mut Connection, path: &Path, target: u32) -> Result<u32, StoreError> {
    let sql = |e| StoreError::sql(path, "read the schema version", e);
    let found = version(conn).map_err(sql)?;
    let app: i32 = conn.pragma_query_value(None, "application_id", |row| row.get(0)).map_err(sql)?;
    if found > LATEST {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found, known: LATEST });
    }
    if app != APPLICATION_ID {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'", [], |r| r.get(0))
            .map_err(sql)?;
        if app != 0 || found != 0 || tables != 0 {
            return Err(StoreError::NotOurs { path: path.to_path_buf() });
        }
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found && m.version <= target) {
        let step = |e| StoreError::Migration { path: path.to_path_buf(), version: m.version, what: m.what, source: e };
        let tx = conn.transaction().map_err(step)?;
        tx.execute_batch(m.sql).map_err(step)?;
        tx.pragma_update(None, "user_version", m.version).map_err(step)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(step)?;
        tx.commit().map_err(step)?;
        tracing::info!(version = m.version, what = m.what, "store migrated");
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_numbered_in_order() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.what);
        }
        assert_eq!(LATEST, 2);
    }

    #[test]
    fn migrations_apply_in_memory_and_are_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        let path = Path::new(":memory:");
        assert_eq!(migrate_to(&mut conn, path, 1).unwrap(), 0);
        assert_eq!(version(&conn).unwrap(), 1);
        assert_eq!(migrate(&mut conn, path).unwrap(), 1);
        assert_eq!(migrate(&mut conn, path).unwrap(), LATEST);
        assert_eq!(version(&conn).unwrap(), LATEST);
    }
}
