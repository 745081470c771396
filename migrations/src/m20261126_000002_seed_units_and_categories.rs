//! Seeds the administrative units and the category catalogue from `chamlo_vn::seed`.
//! The first administrator is created by the application at start, not here: it needs a
//! random password printed once and an argon2 hash.

use sea_orm_migration::prelude::*;

use chamlo_vn::seed::{CATEGORIES, UNITS};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Inserts one row and returns its generated id (RETURNING works on PostgreSQL and SQLite ≥ 3.35).
async fn insert_returning_id(
    manager: &SchemaManager<'_>,
    stmt: &mut InsertStatement,
) -> Result<i32, DbErr> {
    stmt.returning_col("id");
    let row = manager
        .get_connection()
        .query_one(&*stmt)
        .await?
        .ok_or_else(|| DbErr::Migration("INSERT ... RETURNING gave no row".into()))?;
    row.try_get_by_index::<i32>(0)
}

fn seed_time() -> Expr {
    Expr::current_timestamp()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut unit_ids: Vec<(&str, i32)> = Vec::new();
        for unit in UNITS {
            let parent_id = unit
                .parent_code
                .and_then(|code| unit_ids.iter().find(|(c, _)| *c == code).map(|(_, id)| *id));
            let id = insert_returning_id(
                manager,
                Query::insert()
                    .into_table("units")
                    .columns([
                        "code",
                        "name",
                        "level",
                        "parent_id",
                        "valid_from",
                        "valid_to",
                        "created_at",
                    ])
                    .values_panic([
                        unit.code.into(),
                        unit.name.into(),
                        unit.level.as_str().into(),
                        parent_id.into(),
                        date_value(unit.valid_from),
                        date_value(unit.valid_to),
                        seed_time(),
                    ]),
            )
            .await?;
            unit_ids.push((unit.code, id));
        }

        for category in CATEGORIES {
            let id = insert_returning_id(
                manager,
                Query::insert()
                    .into_table("categories")
                    .columns([
                        "code",
                        "name",
                        "kind",
                        "rank",
                        "per_household",
                        "sensitive",
                        "active",
                        "created_at",
                    ])
                    .values_panic([
                        category.code.into(),
                        category.name.into(),
                        category.kind.as_str().into(),
                        category.rank.into(),
                        category.per_household.into(),
                        category.sensitive.into(),
                        true.into(),
                        seed_time(),
                    ]),
            )
            .await?;
            if category.synonyms.is_empty() {
                continue;
            }
            let mut insert = Query::insert();
            insert
                .into_table("category_synonyms")
                .columns(["category_id", "synonym"]);
            for synonym in category.synonyms {
                insert.values_panic([id.into(), (*synonym).into()]);
            }
            manager.get_connection().execute(&insert).await?;
        }
        Ok(())
    }
}

/// An ISO date from the seed list as a typed DATE value (NULL when absent).
fn date_value(iso: Option<&str>) -> Expr {
    let date = iso.and_then(|text| text.parse::<sea_orm::prelude::Date>().ok());
    Expr::val(date)
}
