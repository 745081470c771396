//! The population check (issue 18): the resident extract a ward's police give it, kept only
//! until the list is approved or for 7 days; the counts of each check; and the flags raised on
//! the list's entries with how each was resolved. Flags keep the recipient's name and no
//! foreign key to the entry, so a gift removed on a flag still shows in the report.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        fn fk(
            name: &str,
            table: &'static str,
            col: &'static str,
            to: &'static str,
        ) -> ForeignKeyCreateStatement {
            ForeignKey::create()
                .name(name)
                .from(table, col)
                .to(to, "id")
                .on_delete(ForeignKeyAction::Cascade)
                .to_owned()
        }
        manager
            .create_table(
                Table::create()
                    .table("population_extracts")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(string("file_name"))
                    .col(integer_null("uploaded_by"))
                    .col(integer("resident_count"))
                    .col(text("residents_json"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(&mut fk(
                        "fk_population_extracts_campaign_id",
                        "population_extracts",
                        "campaign_id",
                        "campaigns",
                    ))
                    .foreign_key(&mut fk(
                        "fk_population_extracts_ward_id",
                        "population_extracts",
                        "ward_id",
                        "units",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_population_extracts_campaign_ward")
                    .table("population_extracts")
                    .col("campaign_id")
                    .col("ward_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("population_checks")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(integer("checked"))
                    .col(integer("matched"))
                    .col(integer("probable"))
                    .col(timestamp_with_time_zone("checked_at"))
                    .foreign_key(&mut fk(
                        "fk_population_checks_campaign_id",
                        "population_checks",
                        "campaign_id",
                        "campaigns",
                    ))
                    .foreign_key(&mut fk(
                        "fk_population_checks_ward_id",
                        "population_checks",
                        "ward_id",
                        "units",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_population_checks_campaign_ward")
                    .table("population_checks")
                    .col("campaign_id")
                    .col("ward_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("population_flags")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(integer("entry_id"))
                    .col(integer("person_id"))
                    .col(string("full_name"))
                    .col(string("kind"))
                    .col(string("weight"))
                    .col(text("detail"))
                    .col(text_null("correction_json"))
                    .col(string_null("resolution"))
                    .col(text_null("reason"))
                    .col(integer_null("resolved_by"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_population_flags_campaign_id",
                        "population_flags",
                        "campaign_id",
                        "campaigns",
                    ))
                    .foreign_key(&mut fk(
                        "fk_population_flags_ward_id",
                        "population_flags",
                        "ward_id",
                        "units",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_population_flags_campaign_ward")
                    .table("population_flags")
                    .col("campaign_id")
                    .col("ward_id")
                    .to_owned(),
            )
            .await
    }
}
