//! The states of paying a gift: how a program pays, what kind of account a person has, and
//! where a transfer stands. Stored as the strings `as_str` returns.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a program pays its gifts. `gift_programs.payment_method`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    DeriveActiveEnum,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum PaymentMethod {
    /// Cash handed over by the ward, signed for on the signing sheet.
    #[sea_orm(string_value = "cash")]
    Cash,
    /// Goods handed over.
    #[sea_orm(string_value = "goods")]
    Goods,
    /// Transfer to the person's account only.
    #[sea_orm(string_value = "transfer")]
    Transfer,
    /// Transfer where the person has an account, cash otherwise (the 2026 pattern).
    #[sea_orm(string_value = "transfer_else_cash")]
    TransferElseCash,
}

impl PaymentMethod {
    /// Parses the command line's and forms' words: `cash`, `goods`, `transfer`,
    /// `transfer-else-cash` (or with an underscore).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().replace('-', "_").as_str() {
            "cash" => Some(Self::Cash),
            "goods" => Some(Self::Goods),
            "transfer" => Some(Self::Transfer),
            "transfer_else_cash" => Some(Self::TransferElseCash),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Goods => "goods",
            Self::Transfer => "transfer",
            Self::TransferElseCash => "transfer_else_cash",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cash => "Tiền mặt",
            Self::Goods => "Hiện vật",
            Self::Transfer => "Chuyển khoản",
            Self::TransferElseCash => "Chuyển khoản, không có tài khoản thì tiền mặt",
        }
    }

    /// Whether gifts of this program go by transfer to those with an account.
    pub fn transfers(self) -> bool {
        matches!(self, Self::Transfer | Self::TransferElseCash)
    }
}

/// The kind of a person's payment account. `payment_accounts.kind`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    DeriveActiveEnum,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum AccountKind {
    /// Tài khoản an sinh xã hội in VNeID, linked to a bank.
    #[sea_orm(string_value = "social_security")]
    SocialSecurity,
    /// A bank account.
    #[sea_orm(string_value = "bank")]
    Bank,
    /// An e-wallet or mobile-money account.
    #[sea_orm(string_value = "e_wallet")]
    EWallet,
}

impl AccountKind {
    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "social_security" => Some(Self::SocialSecurity),
            "bank" => Some(Self::Bank),
            "e_wallet" => Some(Self::EWallet),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SocialSecurity => "social_security",
            Self::Bank => "bank",
            Self::EWallet => "e_wallet",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::SocialSecurity => "Tài khoản an sinh xã hội",
            Self::Bank => "Tài khoản ngân hàng",
            Self::EWallet => "Ví điện tử",
        }
    }
}

/// Where an entry sent for transfer stands. `payment_items.state`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema, DeriveActiveEnum, EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum PaymentState {
    /// On a transfer list, waiting for the bank's result.
    #[sea_orm(string_value = "sent")]
    Sent,
    /// The bank confirmed the transfer.
    #[sea_orm(string_value = "transferred")]
    Transferred,
    /// The transfer failed; the person is paid in cash.
    #[sea_orm(string_value = "failed")]
    Failed,
    /// The money came back; the person is paid in cash.
    #[sea_orm(string_value = "returned")]
    Returned,
}

impl PaymentState {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Transferred => "transferred",
            Self::Failed => "failed",
            Self::Returned => "returned",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sent => "Đã gửi chuyển khoản",
            Self::Transferred => "Đã chuyển khoản",
            Self::Failed => "Chuyển khoản thất bại",
            Self::Returned => "Bị hoàn trả",
        }
    }
}
