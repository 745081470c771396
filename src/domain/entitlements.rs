//! Which gift programs give what to a listed category: the amounts come from the programs,
//! or, for a program that takes the wards' figures (the default one), from the file.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{gift_program, program_amount};

/// A program with its amounts per category id, as entitlements need it.
#[derive(Debug, Clone)]
pub struct ProgramRules {
    /// The program.
    pub program: gift_program::Model,
    /// Cash amount per category id.
    pub amounts: HashMap<i32, i64>,
}

/// One program's gift to one listed person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entitlement {
    /// The program.
    pub program_id: i32,
    /// What the program gives (whole đồng).
    pub amount: i64,
}

impl ProgramRules {
    /// What this program gives to `category_id`, given the amount typed in the ward's file:
    /// a program that takes the wards' figures gives the typed amount (or its own, or 0 when
    /// neither exists); any other program gives its amount for the category, or nothing.
    pub fn entitlement(&self, category_id: i32, file_amount: Option<i64>) -> Option<Entitlement> {
        let own = self.amounts.get(&category_id).copied();
        let amount = if self.program.use_file_amounts {
            Some(file_amount.or(own).unwrap_or(0))
        } else {
            own
        }?;
        Some(Entitlement {
            program_id: self.program.id,
            amount,
        })
    }
}

/// Every program of a campaign with its amounts, in creation order.
pub async fn load_program_rules(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<Vec<ProgramRules>, DbErr> {
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .order_by_asc(gift_program::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = programs.iter().map(|p| p.id).collect();
    let amounts = program_amount::Entity::find()
        .filter(program_amount::Column::ProgramId.is_in(ids))
        .all(db)
        .await?;
    Ok(programs
        .into_iter()
        .map(|program| ProgramRules {
            amounts: amounts
                .iter()
                .filter(|a| a.program_id == program.id)
                .map(|a| (a.category_id, a.amount))
                .collect(),
            program,
        })
        .collect())
}

/// The entitlements of a listed category across programs.
pub fn entitlements_for(
    programs: &[ProgramRules],
    category_id: i32,
    file_amount: Option<i64>,
) -> Vec<Entitlement> {
    programs
        .iter()
        .filter_map(|p| p.entitlement(category_id, file_amount))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::states::FundingSource;
    use chrono::Utc;

    fn program(id: i32, use_file_amounts: bool, amounts: &[(i32, i64)]) -> ProgramRules {
        ProgramRules {
            program: gift_program::Model {
                id,
                campaign_id: 1,
                name: format!("P{id}"),
                funding_source: FundingSource::City,
                sponsor_name: None,
                goods_description: None,
                goods_quantity: None,
                one_per_person: true,
                one_per_household: false,
                use_file_amounts,
                payment_method: crate::entities::payment_states::PaymentMethod::Cash,
                created_at: Utc::now(),
            },
            amounts: amounts.iter().copied().collect(),
        }
    }

    #[test]
    fn the_default_program_takes_the_amount_typed_in_the_file() {
        let programs = [program(1, true, &[])];
        assert_eq!(
            entitlements_for(&programs, 7, Some(600_000)),
            vec![Entitlement {
                program_id: 1,
                amount: 600_000
            }]
        );
        assert_eq!(entitlements_for(&programs, 7, None)[0].amount, 0);
    }

    #[test]
    fn a_configured_program_gives_its_own_amount_and_only_to_its_categories() {
        let programs = [program(1, true, &[]), program(2, false, &[(7, 300_000)])];
        assert_eq!(
            entitlements_for(&programs, 7, Some(500_000)),
            vec![
                Entitlement {
                    program_id: 1,
                    amount: 500_000
                },
                Entitlement {
                    program_id: 2,
                    amount: 300_000
                }
            ]
        );
        assert_eq!(entitlements_for(&programs, 8, Some(500_000)).len(), 1);
    }
}
