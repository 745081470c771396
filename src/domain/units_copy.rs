//! Each app server's own copy of every unit, checked against `units_version` (a number the
//! database's triggers raise with every change to `units`, whoever makes it: a page of this
//! server or another, the CLI, SQL).
//!
//! Every request needs every unit (its scope's subtree, ward names, which wards a campaign
//! covers): a few hundred rows at city size. The session query reads the number alone
//! ([`version_expr`]); [`UnitsCopy::units`] answers from the copy while the number is the one
//! it was read with, and reads the units again (with the number, in one statement, so the
//! pair is one snapshot) when it is not.

use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::db::prefixed_columns::select_prefixed;
use crate::domain::versioned_copy::{VersionedCopy, version_of};
use crate::entities::unit;

/// The prefix of the units' columns when read with their version.
const UNIT_PREFIX: &str = "n_";

/// The column the version is read as.
pub const VERSION_COLUMN: &str = "units_version";

/// `(SELECT version FROM units_version WHERE id = 1)`, to read with another query.
pub fn version_expr() -> Expr {
    version_of("units_version")
}

/// The version of the units now.
pub async fn units_version(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let row = db
        .query_one(
            &Query::select()
                .expr_as(version_expr(), Alias::new(VERSION_COLUMN))
                .to_owned(),
        )
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<i64>>("", VERSION_COLUMN)?.unwrap_or(0),
        None => 0,
    })
}

/// A server's copy of every unit and the version it was read at.
#[derive(Debug, Clone, Default)]
pub struct UnitsCopy {
    copy: VersionedCopy<Vec<unit::Model>>,
}

impl UnitsCopy {
    /// Every unit, in id order, as of `version` (read from the database in the same request):
    /// the copy when it was read at that version, else the units read again.
    pub async fn units(
        &self,
        db: &impl ConnectionTrait,
        version: i64,
    ) -> Result<Arc<Vec<unit::Model>>, DbErr> {
        if let Some(units) = self.copy.at(version) {
            return Ok(units);
        }
        let (read_at, units) = read_units(db).await?;
        let units = Arc::new(units);
        self.copy.keep(read_at, Arc::clone(&units));
        Ok(units)
    }
}

/// Every unit with the version they are read at, in one statement (one snapshot).
async fn read_units(db: &impl ConnectionTrait) -> Result<(i64, Vec<unit::Model>), DbErr> {
    let n = Alias::new("n");
    let mut query = Query::select();
    query.from_as(unit::Entity, n.clone());
    select_prefixed::<unit::Entity>(&mut query, &n, UNIT_PREFIX);
    query
        .expr_as(version_expr(), Alias::new(VERSION_COLUMN))
        .order_by((n, unit::Column::Id), Order::Asc);
    let rows = db.query_all(&query).await?;
    let mut units = Vec::with_capacity(rows.len());
    for row in &rows {
        units.push(unit::Model::from_query_result(row, UNIT_PREFIX)?);
    }
    let version = match rows.first() {
        Some(row) => row.try_get("", VERSION_COLUMN)?,
        // No unit at all: the number alone.
        None => units_version(db).await?,
    };
    Ok((version, units))
}
