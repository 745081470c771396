//! Each app server's own copy of every category, checked against `categories_version` (a
//! number the database's triggers raise with every change to `categories`, whoever makes it).
//!
//! A ward's list page names each row's category and offers them all as a filter. It reads the
//! number with the campaign and its list ([`version_expr`], no statement of its own) and the
//! categories only when the number is not the one its copy was read at. The number is read
//! before the categories, so a change committed in between gives the next page a newer
//! number, and the categories are read again.

use std::sync::Arc;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::Expr;

use crate::domain::list_entries::categories;
use crate::domain::versioned_copy::{VersionedCopy, version_of};
use crate::entities::category;
use crate::error::AppResult;

/// The column the version is read as.
pub const VERSION_COLUMN: &str = "categories_version";

/// `(SELECT version FROM categories_version WHERE id = 1)`, to read with another query.
pub fn version_expr() -> Expr {
    version_of("categories_version")
}

/// A server's copy of every category and the version it was read at.
#[derive(Debug, Clone, Default)]
pub struct CategoriesCopy {
    copy: VersionedCopy<Vec<category::Model>>,
}

impl CategoriesCopy {
    /// Every category (highest rank first, then by name) as of `version`, read by the caller
    /// before this call: the copy when it was read at that version, else read again.
    pub async fn categories(
        &self,
        db: &impl ConnectionTrait,
        version: i64,
    ) -> AppResult<Arc<Vec<category::Model>>> {
        if let Some(kept) = self.copy.at(version) {
            return Ok(kept);
        }
        let read = Arc::new(categories(db).await?);
        self.copy.keep(version, Arc::clone(&read));
        Ok(read)
    }
}
