//! Reading a person's payment account from a ward's list: the "Số tài khoản", "Tài khoản an
//! sinh xã hội", "Ngân hàng" and "Chủ tài khoản" columns. An account is kept only when it is
//! complete and its bank is one the service knows: anything else is a row warning (the person
//! is still listed, and is paid in cash until the ward gives the account), never a guess.

use super::{ImportContext, ImportRow};
use chamlo_vn::banks::{BankNames, mask_account, match_bank, parse_account_number};
use chamlo_vn::text::normalize;

/// A bank the import may match what officers type against: the `banks` table as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownBank {
    /// The 6-digit NAPAS BIN.
    pub bin: String,
    /// Short name, full name and synonyms.
    pub names: Vec<String>,
}

impl BankNames for KnownBank {
    fn bin(&self) -> &str {
        &self.bin
    }

    fn names(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }
}

/// The seeded banks, for reading files without a database (tests, fuzzing, benchmarks).
pub fn seed_banks() -> Vec<KnownBank> {
    chamlo_vn::banks::BANKS
        .iter()
        .map(|b| KnownBank {
            bin: b.bin.to_owned(),
            names: b.names().into_iter().map(str::to_owned).collect(),
        })
        .collect()
}

/// A payment account read from a row, complete and with its bank matched.
#[derive(Clone, PartialEq, Eq)]
pub struct TypedAccount {
    /// Whether the number is the person's social-security account (VNeID) rather than an
    /// ordinary bank account.
    pub social_security: bool,
    /// The account number, digits only, leading zeros kept.
    pub number: String,
    /// The bank as typed, when the row names one.
    pub bank_typed: Option<String>,
    /// The matched bank's BIN.
    pub bank_bin: Option<String>,
    /// The holder's name as typed, when the row gives one.
    pub holder: Option<String>,
}

// By hand so that a `{:?}` of a row never prints an account number.
impl std::fmt::Debug for TypedAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypedAccount")
            .field("social_security", &self.social_security)
            .field("number", &mask_account(&self.number))
            .field("bank_bin", &self.bank_bin)
            .finish_non_exhaustive()
    }
}

/// The trimmed texts of a row's account cells (empty when the file has no such column).
pub(crate) struct AccountCells<'a> {
    pub number: &'a str,
    pub social_security: &'a str,
    pub bank: &'a str,
    pub holder: &'a str,
}

/// Reads the account cells of one row into `row.account`, or explains in a warning on the
/// "payment_account" field why the account is not kept. The social-security account wins
/// when both are filled in: it is where the state's gift is sent (2026).
pub(crate) fn read_account(row: &mut ImportRow, ctx: &ImportContext, cells: AccountCells<'_>) {
    const FIELD: &str = "payment_account";
    let (social_security, typed) = if !cells.social_security.is_empty() {
        (true, cells.social_security)
    } else {
        (false, cells.number)
    };
    let bank = normalize(cells.bank);
    let holder = normalize(cells.holder);
    if typed.is_empty() {
        if !bank.is_empty() || !holder.is_empty() {
            row.warning(
                FIELD,
                "Có ngân hàng hoặc chủ tài khoản nhưng thiếu số tài khoản; tài khoản chưa được lưu, người này sẽ nhận tiền mặt nếu không bổ sung.".to_owned(),
            );
        }
        return;
    }
    let number = match parse_account_number(typed) {
        Ok(Some(number)) => number,
        Ok(None) => return,
        Err(problem) => {
            row.warning(
                FIELD,
                format!(
                    "{} Tài khoản chưa được lưu; hãy sửa số tài khoản trong tệp hoặc trên trang của người này.",
                    problem.message()
                ),
            );
            return;
        }
    };
    let bank_bin = if bank.is_empty() {
        if !social_security {
            row.warning(
                FIELD,
                "Thiếu ngân hàng của số tài khoản; tài khoản chưa được lưu. Hãy ghi ngân hàng (ví dụ “VCB”, “Agribank”) vào cột Ngân hàng.".to_owned(),
            );
            return;
        }
        None
    } else {
        match match_bank(&bank, &ctx.banks) {
            Some(found) => Some(found.bin.clone()),
            None => {
                row.warning(
                    FIELD,
                    format!(
                        "Không nhận ra ngân hàng “{bank}”; tài khoản chưa được lưu. Hãy ghi tên viết tắt (VCB, BIDV, Agribank…) hoặc mã BIN gồm 6 chữ số."
                    ),
                );
                return;
            }
        }
    };
    row.account = Some(TypedAccount {
        social_security,
        number,
        bank_typed: (!bank.is_empty()).then_some(bank),
        bank_bin,
        holder: (!holder.is_empty()).then_some(holder),
    });
}
