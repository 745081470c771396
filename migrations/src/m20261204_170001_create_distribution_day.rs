//! Distribution day: the points and time slots where a ward hands gifts out, each entry's
//! invitation (its unguessable check-in code, its slot, whether it is a home visit), and
//! the check-ins recorded from a phone (who, when, at which point, and the client's key so a
//! scan queued offline and sent twice is recorded once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("distribution_points")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(string("name"))
                    .col(string_null("address"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("distribution_points", "campaign_id")
                            .to("campaigns", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("distribution_points", "ward_id")
                            .to("units", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("distribution_slots")
                    .col(pk_auto("id"))
                    .col(integer("point_id"))
                    .col(date("day"))
                    // "HH:MM", Vietnam time: a slot is a time on the wall clock of the ward.
                    .col(string_len("starts_at", 5))
                    .col(string_len("ends_at", 5))
                    .foreign_key(
                        ForeignKey::create()
                            .from("distribution_slots", "point_id")
                            .to("distribution_points", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitations")
                    .col(pk_auto("id"))
                    .col(integer_uniq("entry_id"))
                    .col(string_len_uniq("code", 16))
                    .col(integer_null("slot_id"))
                    .col(boolean("home_visit").default(false))
                    .col(string_null("home_visit_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("invitations", "entry_id")
                            .to("entries", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("invitations", "slot_id")
                            .to("distribution_slots", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("checkins")
                    .col(pk_auto("id"))
                    .col(integer_uniq("entry_id"))
                    .col(string_null("client_key"))
                    .col(string_null("point_name"))
                    .col(integer_null("recorded_by_user_id"))
                    .col(string("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("checkins", "entry_id")
                            .to("entries", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_distribution_points_campaign_ward")
                    .table("distribution_points")
                    .col("campaign_id")
                    .col("ward_id")
                    .to_owned(),
            )
            .await
    }
}
