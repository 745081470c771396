//! Paying gifts by transfer (DOMAIN.md "How the state's gifts are paid"): how each program
//! pays, the editable list of banks by NAPAS BIN (seeded from `chamlo_vn::banks`), each
//! person's payment account, the transfer batches and where each entry of a batch stands.
//!
//! An entry's payment sits in `payment_items` beside the entry rather than in new entry
//! states, so the distribution states (pending, received, not received) keep meaning what
//! they meant: a confirmed transfer also marks its entry received.

use chamlo_vn::banks::BANKS;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        manager
            .alter_table(
                Table::alter()
                    .table("gift_programs")
                    // cash, goods, transfer or transfer_else_cash.
                    .add_column(string("payment_method").default("cash"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("banks")
                    // The 6-digit NAPAS BIN.
                    .col(string("bin").primary_key())
                    .col(string("short_name"))
                    .col(string("name"))
                    // Other names officers type, one per line.
                    .col(text("synonyms"))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table("banks")
            .columns(["bin", "short_name", "name", "synonyms"])
            .to_owned();
        for bank in BANKS {
            insert.values_panic([
                bank.bin.into(),
                bank.short_name.into(),
                bank.name.into(),
                bank.synonyms.join("\n").into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        manager
            .create_table(
                Table::create()
                    .table("payment_accounts")
                    .col(pk_auto("id"))
                    .col(integer("person_id").unique_key())
                    // social_security, bank or e_wallet.
                    .col(string("kind"))
                    .col(string_null("bank_bin"))
                    // Digits kept as text: leading zeros matter. Personal data.
                    .col(string("account_number"))
                    .col(string_null("holder_name"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("payment_accounts", "person_id", "people", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("payment_batches")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("program_id"))
                    // The ward the list was made for; none for all wards at once.
                    .col(integer_null("ward_id"))
                    .col(integer("entry_count"))
                    .col(big_integer("total_amount"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "payment_batches",
                        "campaign_id",
                        "campaigns",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "payment_batches",
                        "program_id",
                        "gift_programs",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("payment_items")
                    .col(pk_auto("id"))
                    // Unique: an entry is sent for transfer once, so never in two batches.
                    .col(integer("entry_id").unique_key())
                    .col(integer("batch_id"))
                    .col(big_integer("amount"))
                    // sent, transferred, failed or returned.
                    .col(string("state"))
                    .col(date_null("paid_on"))
                    .col(string_null("reason"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("payment_items", "entry_id", "entries", Cascade))
                    .foreign_key(&mut fk(
                        "payment_items",
                        "batch_id",
                        "payment_batches",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_payment_items_batch_id")
                    .table("payment_items")
                    .col("batch_id")
                    .to_owned(),
            )
            .await
    }
}
