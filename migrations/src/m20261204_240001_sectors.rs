//! Sectors since the ministries merged (1 March 2025): every category belongs to one sector
//! (merit, social protection, poverty), and an account can be limited to some of them, so a
//! city department reviews the lists of its own sector in every ward.
//!
//! Categories are placed from the seed's rule (`Sector::for_category`): merit categories are
//! merit, poor and near-poor households poverty, every other hardship category social
//! protection. An account without rows in `user_sectors` works in every sector.

use sea_orm_migration::{prelude::*, schema::*};

use chamlo_vn::catalogue::{CategoryKind, Sector};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("categories")
                    .add_column(string("sector").default(Sector::SocialProtection.as_str()))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let merit = CategoryKind::Merit.as_str();
        db.execute_unprepared(&format!(
            "UPDATE categories SET sector = '{}' WHERE kind = '{merit}'",
            Sector::Merit.as_str()
        ))
        .await?;
        for code in ["HN", "HCN"] {
            let sector = Sector::for_category(CategoryKind::Hardship, code);
            db.execute_unprepared(&format!(
                "UPDATE categories SET sector = '{}' WHERE code = '{code}' AND kind <> '{merit}'",
                sector.as_str()
            ))
            .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("user_sectors")
                    .col(integer("user_id"))
                    .col(string("sector"))
                    .primary_key(Index::create().col("user_id").col("sector"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_sectors_user_id")
                            .from("user_sectors", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
