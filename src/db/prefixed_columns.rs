//! Several tables read in one row: each table's columns selected under a prefix of their own,
//! so that one query (one hand-off to the database's thread) brings them all back.

use sea_orm::sea_query::{Alias, Expr, SelectStatement};
use sea_orm::{EntityTrait, IdenStatic, Iterable};

/// Adds every column of `E`, read from the table aliased `table`, named `{prefix}{column}`:
/// several tables come back in one row (one query, one hand-off to the database's thread)
/// and each is read with `Model::from_query_result(row, prefix)`.
pub fn select_prefixed<E: EntityTrait>(query: &mut SelectStatement, table: &Alias, prefix: &str) {
    for column in E::Column::iter() {
        query.expr_as(
            Expr::col((table.clone(), column)),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}
