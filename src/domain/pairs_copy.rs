//! Each app server's own copy of the duplicate pairs of the wards it was asked about, checked
//! against the campaign's pairing versions (`pairing_versions`: a number per ward list that
//! the database's triggers raise with every change that could make or break a pair, whoever
//! makes it: a page of this server or another, the CLI, SQL).
//!
//! Finding one ward's pairs at city size reads the ward's entries, its people's name twins and
//! their partners across every ward (about 0.35 s of SQL for a ward of 14,000 entries), far
//! too much for every view of the review. A view now reads where the campaign's versions stand
//! (their sum and count, one row), and finds the pairs again only when that differs from what
//! the copy was found at.
//! The copy holds entry ids only: the page reads those entries and their people fresh, so a
//! category, amount or list status changed since is shown as it is now.
//!
//! The versions are read *before* the pairs are found. Any change committed in between gives
//! a newer version to the next view, which finds the pairs again; a change can never hide
//! behind a version that was read after it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Where a campaign's pairing versions stand: their sum and how many lists have one. Each
/// change raises a list's number or adds a list's row, and rows are never deleted (a removed
/// list's number stays behind), so two reads give the same pair only if nothing that pairs
/// changed between them; one row to read instead of one per list.
pub type PairingVersions = (i64, i64);

/// A ward's pairs as entry ids, `(smaller, larger)`, in order.
pub type PairIds = Arc<Vec<(i32, i32)>>;

/// The ward id under which a campaign's pairs across all its wards are kept (no unit has it).
pub const WHOLE_CAMPAIGN: i32 = 0;

/// How many wards' pairs a server keeps (a city has 168 wards per campaign; a few campaigns).
const KEPT_WARDS: usize = 1024;

/// One ward's pairs and the versions they were found at.
#[derive(Debug, Default)]
struct Kept {
    found_at: Option<PairingVersions>,
    pairs: PairIds,
}

/// One ward's place in the copy: a view waits here while another finds the ward's pairs.
type Slot = Arc<tokio::sync::Mutex<Kept>>;

/// A server's copy of its wards' duplicate pairs, per (campaign, ward).
#[derive(Debug, Clone, Default)]
pub struct PairsCopy {
    wards: Arc<Mutex<HashMap<(i32, i32), Slot>>>,
}

impl PairsCopy {
    /// The pairs of `ward_id` in `campaign_id` as of `versions` (read by the caller before
    /// this call): the copy when it was found at those versions, else `find()`'s answer, kept.
    /// Concurrent views of one ward wait for a single search instead of each running it.
    pub async fn ward_pairs<F, Fut, E>(
        &self,
        campaign_id: i32,
        ward_id: i32,
        versions: PairingVersions,
        find: F,
    ) -> Result<PairIds, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<(i32, i32)>, E>>,
    {
        let slot = self.slot(campaign_id, ward_id);
        let mut kept = slot.lock().await;
        if kept.found_at.as_ref() == Some(&versions) {
            return Ok(Arc::clone(&kept.pairs));
        }
        let pairs = Arc::new(find().await?);
        kept.found_at = Some(versions);
        kept.pairs = Arc::clone(&pairs);
        Ok(pairs)
    }

    /// The ward's slot, made when first asked for; when the copy is full, the slots nobody is
    /// using are let go first (they are found again on their next view).
    fn slot(&self, campaign_id: i32, ward_id: i32) -> Slot {
        let mut wards = self.wards.lock().unwrap_or_else(|p| p.into_inner());
        if wards.len() >= KEPT_WARDS && !wards.contains_key(&(campaign_id, ward_id)) {
            wards.retain(|_, slot| Arc::strong_count(slot) > 1);
        }
        Arc::clone(wards.entry((campaign_id, ward_id)).or_default())
    }
}

/// The pairing versions of `campaign_id`'s lists now.
pub async fn pairing_versions(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<PairingVersions, DbErr> {
    let query = Query::select()
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(version), 0) AS BIGINT)"),
            Alias::new("total"),
        )
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("lists"))
        .from(Alias::new("pairing_versions"))
        .and_where(Expr::col(Alias::new("campaign_id")).eq(campaign_id))
        .to_owned();
    match db.query_one(&query).await? {
        Some(row) => Ok((row.try_get("", "total")?, row.try_get("", "lists")?)),
        None => Ok((0, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_ward_is_found_again_only_when_its_versions_change() {
        let copy = PairsCopy::default();
        let mut searches = 0;
        for (versions, expected_searches) in [((2, 2), 1), ((2, 2), 1), ((3, 2), 2), ((4, 3), 3)] {
            let pairs = copy
                .ward_pairs(7, 70, versions, || {
                    searches += 1;
                    let found = vec![(searches, 100)];
                    async move { Ok::<_, DbErr>(found) }
                })
                .await
                .unwrap();
            assert_eq!(searches, expected_searches);
            assert_eq!(*pairs, vec![(expected_searches, 100)]);
        }
        // Another ward of the same campaign has its own pairs.
        let other = copy
            .ward_pairs(7, 71, (4, 3), || async { Ok::<_, DbErr>(vec![(5, 6)]) })
            .await
            .unwrap();
        assert_eq!(*other, vec![(5, 6)]);
    }

    #[tokio::test]
    async fn a_failed_search_keeps_nothing() {
        let copy = PairsCopy::default();
        let failed = copy
            .ward_pairs(1, 1, (1, 1), || async {
                Err::<Vec<(i32, i32)>, _>(DbErr::Custom("down".into()))
            })
            .await;
        assert!(failed.is_err());
        let pairs = copy
            .ward_pairs(1, 1, (1, 1), || async { Ok::<_, DbErr>(vec![(1, 2)]) })
            .await
            .unwrap();
        assert_eq!(*pairs, vec![(1, 2)]);
    }
}
