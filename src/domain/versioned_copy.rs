//! A value an app server keeps together with the version of the database it was read at: the
//! units (`units_copy`) and the categories (`categories_copy`), both read on nearly every page
//! and changed rarely, each with a number the database's triggers raise on any change.

use std::sync::{Arc, RwLock};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, QueryStatementBuilder};

/// `(SELECT version FROM {table} WHERE id = 1)`: a version table's number, to read with
/// another query.
pub fn version_of(table: &str) -> Expr {
    let select = Query::select()
        .column(Alias::new("version"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    Expr::SubQuery(None, Box::new(select.into_sub_query_statement()))
}

/// A value and the version it was read at.
type Versioned<T> = (i64, Arc<T>);

/// A kept value and the version it was read at.
#[derive(Debug)]
pub struct VersionedCopy<T> {
    copy: Arc<RwLock<Option<Versioned<T>>>>,
}

impl<T> Default for VersionedCopy<T> {
    fn default() -> Self {
        Self {
            copy: Arc::new(RwLock::new(None)),
        }
    }
}

impl<T> Clone for VersionedCopy<T> {
    fn clone(&self) -> Self {
        Self {
            copy: Arc::clone(&self.copy),
        }
    }
}

impl<T> VersionedCopy<T> {
    /// The copy, if it was read at `version`.
    pub fn at(&self, version: i64) -> Option<Arc<T>> {
        let copy = self
            .copy
            .read()
            .unwrap_or_else(|poison| poison.into_inner());
        copy.as_ref()
            .filter(|(kept, _)| *kept == version)
            .map(|(_, value)| Arc::clone(value))
    }

    /// Keeps `value`, read at `version`, unless a newer one is kept: a slower request must
    /// not put back an older copy (versions only grow).
    pub fn keep(&self, version: i64, value: Arc<T>) {
        let mut copy = self
            .copy
            .write()
            .unwrap_or_else(|poison| poison.into_inner());
        if copy.as_ref().is_none_or(|(kept, _)| *kept < version) {
            *copy = Some((version, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_answers_only_at_its_version_and_never_goes_back() {
        let copy = VersionedCopy::default();
        assert!(copy.at(1).is_none());
        copy.keep(2, Arc::new("two"));
        assert_eq!(copy.at(2).as_deref(), Some(&"two"));
        assert!(copy.at(3).is_none());
        copy.keep(1, Arc::new("one"));
        assert_eq!(copy.at(2).as_deref(), Some(&"two"));
        copy.keep(3, Arc::new("three"));
        assert_eq!(copy.at(3).as_deref(), Some(&"three"));
    }
}
