//! Where a person's gifts are transferred to: one account per person. The account number is
//! personal data: it is never logged and is masked for whoever does not pay.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::payment_states::AccountKind;

/// Where a person's gifts are transferred to: one account per person.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "payment_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub person_id: i32,
    pub kind: AccountKind,
    pub bank_bin: Option<String>,
    pub account_number: String,
    pub holder_name: Option<String>,
    pub updated_at: DateTimeUtc,
}

// Written by hand so that a `{:?}` in a log line cannot print the number.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentAccount")
            .field("id", &self.id)
            .field("person_id", &self.person_id)
            .field("kind", &self.kind)
            .field("bank_bin", &self.bank_bin)
            .field(
                "account_number",
                &crate::vn::banks::mask_account(&self.account_number),
            )
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
