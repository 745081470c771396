//! The whole data model: units, categories, people and households, campaigns with their gift
//! programs and ward lists, entries (one gift to one recipient), import batches, duplicate
//! decisions, users, sessions, API tokens and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A foreign key from `table.column` to `target.id`.
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

/// An index over `columns` of `table`, unique or not, named after them.
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

fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

fn updated_at() -> ColumnDef {
    timestamp_with_time_zone("updated_at")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // Forward-only: going back means restoring a backup, never dropping people's data.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        // Units are data with validity dates, in a tree: codes get reused with new meanings.
        manager
            .create_table(
                Table::create()
                    .table("units")
                    .col(pk_auto("id"))
                    .col(string("code"))
                    .col(string("name"))
                    .col(string("level"))
                    .col(integer_null("parent_id"))
                    .col(date_null("valid_from"))
                    .col(date_null("valid_to"))
                    .col(created_at())
                    .foreign_key(&mut fk("units", "parent_id", "units", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("units", &["code"], false))
            .await?;
        manager
            .create_index(index("units", &["parent_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("categories")
                    .col(pk_auto("id"))
                    .col(string_uniq("code"))
                    .col(string("name"))
                    .col(string("kind"))
                    .col(integer("rank").default(0))
                    .col(boolean("per_household").default(false))
                    .col(boolean("sensitive").default(false))
                    .col(boolean("active").default(true))
                    .col(created_at())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("category_synonyms")
                    .col(pk_auto("id"))
                    .col(integer("category_id"))
                    .col(string("synonym"))
                    .foreign_key(&mut fk(
                        "category_synonyms",
                        "category_id",
                        "categories",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("category_synonyms", &["category_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_auto("id"))
                    .col(string_uniq("username"))
                    .col(string("password_hash"))
                    .col(string_null("full_name"))
                    .col(string("role"))
                    .col(integer_null("unit_id"))
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("password_changed_at"))
                    .col(created_at())
                    .foreign_key(&mut fk("users", "unit_id", "units", Restrict))
                    .to_owned(),
            )
            .await?;
        // The session id is the SHA-256 of the cookie's token, so a leaked table is no login.
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string("id").primary_key())
                    .col(integer("user_id"))
                    .col(created_at())
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .foreign_key(&mut fk("sessions", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("sessions", &["user_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string("name"))
                    .col(string_uniq("token_hash"))
                    .col(created_at())
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("api_tokens", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("people")
                    .col(pk_auto("id"))
                    .col(string("full_name"))
                    .col(string("name_key"))
                    .col(integer_null("birth_year"))
                    .col(date_null("birth_date"))
                    .col(string_null("gender"))
                    .col(string_null("national_id").unique_key())
                    .col(string_null("address"))
                    .col(string_null("khu_pho"))
                    .col(integer("ward_id"))
                    .col(string_null("phone"))
                    .col(text_null("notes"))
                    .col(string("status").default("active"))
                    .col(created_at())
                    .col(updated_at())
                    .foreign_key(&mut fk("people", "ward_id", "units", Restrict))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("people", &["ward_id"], false))
            .await?;
        manager
            .create_index(index("people", &["name_key", "birth_year"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("households")
                    .col(pk_auto("id"))
                    .col(integer("ward_id"))
                    .col(string_null("code"))
                    .col(integer_null("head_person_id"))
                    .col(integer_null("size"))
                    .col(string_null("address"))
                    .col(created_at())
                    .col(updated_at())
                    .foreign_key(&mut fk("households", "ward_id", "units", Restrict))
                    .foreign_key(&mut fk("households", "head_person_id", "people", SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("households", &["ward_id", "code"], true))
            .await?;
        // People and households point at each other; this column comes after both tables.
        // The plain statement is accepted by SQLite (nullable column with REFERENCES) and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE people ADD COLUMN household_id INTEGER NULL \
                 REFERENCES households (id) ON DELETE SET NULL",
            )
            .await?;
        manager
            .create_index(index("people", &["household_id"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("campaigns")
                    .col(pk_auto("id"))
                    .col(integer("unit_id"))
                    .col(integer("year"))
                    .col(string("lunar_name"))
                    .col(string("title"))
                    .col(string_uniq("slug"))
                    .col(string("status").default("open"))
                    .col(integer_null("previous_campaign_id"))
                    .col(integer_null("created_by"))
                    .col(created_at())
                    .foreign_key(&mut fk("campaigns", "unit_id", "units", Restrict))
                    .foreign_key(&mut fk(
                        "campaigns",
                        "previous_campaign_id",
                        "campaigns",
                        SetNull,
                    ))
                    .foreign_key(&mut fk("campaigns", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("gift_programs")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(string("name"))
                    .col(string("funding_source"))
                    .col(string_null("sponsor_name"))
                    .col(string_null("goods_description"))
                    .col(integer_null("goods_quantity"))
                    .col(boolean("one_per_person").default(true))
                    .col(boolean("one_per_household").default(false))
                    .col(boolean("use_file_amounts").default(false))
                    .col(created_at())
                    .foreign_key(&mut fk(
                        "gift_programs",
                        "campaign_id",
                        "campaigns",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("gift_programs", &["campaign_id", "name"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("program_amounts")
                    .col(pk_auto("id"))
                    .col(integer("program_id"))
                    .col(integer("category_id"))
                    .col(big_integer("amount"))
                    .foreign_key(&mut fk(
                        "program_amounts",
                        "program_id",
                        "gift_programs",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "program_amounts",
                        "category_id",
                        "categories",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "program_amounts",
                &["program_id", "category_id"],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("ward_lists")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(string("status").default("draft"))
                    .col(text_null("comment"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(integer_null("submitted_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(integer_null("decided_by"))
                    .col(created_at())
                    .col(updated_at())
                    .foreign_key(&mut fk("ward_lists", "campaign_id", "campaigns", Cascade))
                    .foreign_key(&mut fk("ward_lists", "ward_id", "units", Restrict))
                    .foreign_key(&mut fk("ward_lists", "submitted_by", "users", SetNull))
                    .foreign_key(&mut fk("ward_lists", "decided_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ward_lists", &["campaign_id", "ward_id"], true))
            .await?;

        // The sha256 is unique per ward list: the same file committed twice adds nothing,
        // even when two commits race.
        manager
            .create_table(
                Table::create()
                    .table("import_batches")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(integer("ward_list_id"))
                    .col(string("file_name"))
                    .col(string("sha256"))
                    .col(big_integer("size_bytes"))
                    .col(string("sheet_name"))
                    .col(integer("header_row"))
                    .col(integer("total_rows"))
                    .col(integer("accepted"))
                    .col(integer("rejected"))
                    .col(integer("duplicates"))
                    .col(integer_null("user_id"))
                    .col(created_at())
                    .foreign_key(&mut fk(
                        "import_batches",
                        "campaign_id",
                        "campaigns",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("import_batches", "ward_id", "units", Restrict))
                    .foreign_key(&mut fk(
                        "import_batches",
                        "ward_list_id",
                        "ward_lists",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("import_batches", "user_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("import_batches", &["ward_list_id", "sha256"], true))
            .await?;

        // One entry is one gift of one program to one recipient (a person, and the household
        // for household gifts), with its distribution state.
        manager
            .create_table(
                Table::create()
                    .table("entries")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("ward_list_id"))
                    .col(integer("ward_id"))
                    .col(integer("program_id"))
                    .col(integer("person_id"))
                    .col(integer_null("household_id"))
                    .col(integer("category_id"))
                    .col(big_integer("amount"))
                    .col(big_integer_null("file_amount"))
                    .col(string("status").default("pending"))
                    .col(date_null("received_date"))
                    .col(string_null("receiver_name"))
                    .col(string_null("receiver_relationship"))
                    .col(string_null("not_received_reason"))
                    .col(text_null("distribution_note"))
                    .col(text_null("note"))
                    .col(integer_null("import_batch_id"))
                    .col(integer_null("source_row"))
                    .col(created_at())
                    .col(updated_at())
                    .foreign_key(&mut fk("entries", "campaign_id", "campaigns", Cascade))
                    .foreign_key(&mut fk("entries", "ward_list_id", "ward_lists", Cascade))
                    .foreign_key(&mut fk("entries", "ward_id", "units", Restrict))
                    .foreign_key(&mut fk("entries", "program_id", "gift_programs", Cascade))
                    .foreign_key(&mut fk("entries", "person_id", "people", Restrict))
                    .foreign_key(&mut fk("entries", "household_id", "households", SetNull))
                    .foreign_key(&mut fk("entries", "category_id", "categories", Restrict))
                    .foreign_key(&mut fk(
                        "entries",
                        "import_batch_id",
                        "import_batches",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "entries",
                &["program_id", "person_id", "category_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index("entries", &["campaign_id", "person_id"], false))
            .await?;
        manager
            .create_index(index("entries", &["ward_list_id", "status"], false))
            .await?;
        manager
            .create_index(index("entries", &["campaign_id", "ward_id"], false))
            .await?;
        manager
            .create_index(index("entries", &["household_id"], false))
            .await?;

        // A supervisor's decision on two entries that may be the same recipient.
        manager
            .create_table(
                Table::create()
                    .table("duplicate_decisions")
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("entry_a_id"))
                    .col(integer("entry_b_id"))
                    .col(string("decision"))
                    .col(text_null("note"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone("decided_at"))
                    .foreign_key(&mut fk(
                        "duplicate_decisions",
                        "campaign_id",
                        "campaigns",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "duplicate_decisions",
                        "entry_a_id",
                        "entries",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "duplicate_decisions",
                        "entry_b_id",
                        "entries",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "duplicate_decisions",
                        "decided_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "duplicate_decisions",
                &["entry_a_id", "entry_b_id"],
                true,
            ))
            .await?;

        // Append-only: no foreign keys, so deleting a user or a list never rewrites history.
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(pk_auto("id"))
                    .col(integer_null("actor_user_id"))
                    .col(string("actor_name"))
                    .col(integer_null("unit_id"))
                    .col(string("action"))
                    .col(string("entity_type"))
                    .col(string_null("entity_id"))
                    .col(text_null("before_json"))
                    .col(text_null("after_json"))
                    .col(created_at())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("audit_events", &["created_at"], false))
            .await?;
        manager
            .create_index(index("audit_events", &["actor_user_id"], false))
            .await?;
        manager
            .create_index(index("audit_events", &["unit_id"], false))
            .await?;
        Ok(())
    }
}
