//! Unit lineage for the 1 July 2025 reform: which old ward went to which new ward, whole or in
//! part, and for a part which khu phố went where. Seeds the five wards that replaced the former
//! Quận 9 (under the city, valid from 2025-07-01) and the lineage of its 13 wards.
//!
//! The seed is skipped when the database does not hold the seeded city and old wards (an
//! install for another city enters its own units and lineage as data).

use sea_orm_migration::{prelude::*, schema::*};

use chamlo_vn::seed::{LINEAGE_2025, REFORM_2025, UNITS, WARDS_2025};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, column: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to("units", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!(
        "{}_{table}_{}",
        if unique { "uq" } else { "ix" },
        columns.join("_")
    ))
    .table(table);
    for column in columns {
        stmt.col(*column);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

/// A unit already in the database, as the seed needs to find it.
struct Existing {
    id: i32,
    code: String,
    level: String,
    valid_from: Option<sea_orm::prelude::Date>,
    valid_to: Option<sea_orm::prelude::Date>,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("unit_lineage")
                    .col(pk_auto("id"))
                    .col(integer("predecessor_id"))
                    .col(integer("successor_id"))
                    .col(boolean("whole").default(true))
                    // The first day the successor holds what came from the predecessor.
                    .col(date("effective_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("unit_lineage", "predecessor_id"))
                    .foreign_key(&mut fk("unit_lineage", "successor_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "unit_lineage",
                &["predecessor_id", "successor_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index("unit_lineage", &["successor_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("unit_lineage_quarters")
                    .col(pk_auto("id"))
                    .col(integer("predecessor_id"))
                    // The khu phố as typed ("Khu phố 3"); matched by its folded key.
                    .col(string("quarter"))
                    .col(string("quarter_key"))
                    .col(integer("successor_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("unit_lineage_quarters", "predecessor_id"))
                    .foreign_key(&mut fk("unit_lineage_quarters", "successor_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "unit_lineage_quarters",
                &["predecessor_id", "quarter_key"],
                true,
            ))
            .await?;
        seed(manager).await
    }
}

async fn seed(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let rows = db
        .query_all(
            Query::select()
                .columns(["id", "code", "level", "valid_from", "valid_to"])
                .from("units")
                .order_by("id", Order::Asc),
        )
        .await?;
    let mut existing = Vec::with_capacity(rows.len());
    for row in rows {
        existing.push(Existing {
            id: row.try_get("", "id")?,
            code: row.try_get("", "code")?,
            level: row.try_get("", "level")?,
            valid_from: row.try_get("", "valid_from")?,
            valid_to: row.try_get("", "valid_to")?,
        });
    }
    let reform: sea_orm::prelude::Date = REFORM_2025
        .parse()
        .map_err(|_| DbErr::Migration("bad reform date".into()))?;
    let old_end = reform.pred_opt();
    let Some(city) = existing
        .iter()
        .find(|u| u.code == "79" && u.level == "city")
    else {
        return Ok(());
    };
    let city_id = city.id;
    let old_ward = |code: &str| {
        existing
            .iter()
            .find(|u| u.code == code && u.level == "ward" && u.valid_to == old_end)
            .map(|u| u.id)
    };
    let old_ids: Vec<(&str, i32)> = UNITS
        .iter()
        .filter_map(|unit| old_ward(unit.code).map(|id| (unit.code, id)))
        .collect();
    if old_ids.is_empty() {
        return Ok(());
    }
    let mut new_ids: Vec<(&str, i32)> = Vec::new();
    for ward in WARDS_2025 {
        let present = existing
            .iter()
            .find(|u| u.code == ward.code && u.level == "ward" && u.valid_from == Some(reform));
        let id = match present {
            Some(unit) => unit.id,
            None => {
                let mut insert = Query::insert();
                insert
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
                        ward.code.into(),
                        ward.name.into(),
                        ward.level.as_str().into(),
                        city_id.into(),
                        Expr::val(Some(reform)),
                        Expr::val(None::<sea_orm::prelude::Date>),
                        Expr::current_timestamp(),
                    ])
                    .returning_col("id");
                db.query_one(&insert)
                    .await?
                    .ok_or_else(|| DbErr::Migration("INSERT ... RETURNING gave no row".into()))?
                    .try_get_by_index::<i32>(0)?
            }
        };
        new_ids.push((ward.code, id));
    }
    let mut insert = Query::insert();
    insert.into_table("unit_lineage").columns([
        "predecessor_id",
        "successor_id",
        "whole",
        "effective_on",
        "created_at",
    ]);
    let mut any = false;
    for line in LINEAGE_2025 {
        let from = old_ids.iter().find(|(c, _)| *c == line.predecessor_code);
        let to = new_ids.iter().find(|(c, _)| *c == line.successor_code);
        if let (Some((_, from)), Some((_, to))) = (from, to) {
            insert.values_panic([
                (*from).into(),
                (*to).into(),
                line.whole.into(),
                Expr::val(Some(reform)),
                Expr::current_timestamp(),
            ]);
            any = true;
        }
    }
    if any {
        db.execute(&insert).await?;
    }
    Ok(())
}
