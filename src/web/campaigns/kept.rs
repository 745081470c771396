//! The dashboard's figures kept by each app server for a moment (issue 19). At city size the
//! dashboard is read by every reviewer again and again while its figures move slowly: reading
//! the list statuses, the tallies and the settlement and folding them into 168 formatted,
//! sorted wards on every view cost more than the rest of the page together. A server keeps
//! what it made for [`KeptDashboards::new`]'s time (a second in `chamlo serve`): a view
//! within that time shows figures at most that old, on a page that is read, not acted on
//! (every action re-reads its list). Each server keeps its own, so several servers stay right
//! within that time without talking to each other.
//!
//! Kept per campaign and *scope*: a reviewer limited to some wards or sectors never sees
//! figures made for another scope, however alike the two users are otherwise.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::domain::progress::Tally;
use crate::domain::scope::UnitScope;
use crate::web::campaigns::ward_table::WardProgress;
use crate::web::home::SettlementCard;

/// At most this many campaign and scope pairs are kept; the oldest goes first. A city has a
/// few dozen distinct scopes (one per department and district), so this is never reached in
/// practice but bounds the memory whatever happens.
const KEPT_DASHBOARDS: usize = 64;

/// Everything the dashboard shows that comes from the database, beside the campaign itself
/// (its status must be right at once after a change: it is read on every view).
pub struct DashboardFigures {
    /// Every ward in scope with its list and figures, sorted by name.
    pub wards: Vec<WardProgress>,
    /// Lists in scope, all statuses.
    pub lists_total: usize,
    /// Of which submitted (waiting for review).
    pub lists_submitted: usize,
    /// Of which approved.
    pub lists_approved: usize,
    /// All wards in scope together.
    pub total: Tally,
    /// How each program was paid, when one pays by transfer.
    pub settlement: Vec<SettlementCard>,
}

struct Kept {
    campaign_id: i32,
    scope: UnitScope,
    made: Instant,
    figures: Arc<DashboardFigures>,
}

/// This server's kept dashboards. `Default` keeps nothing (every view reads the database):
/// what tests use unless they test the keeping. Cloning shares the same store.
#[derive(Clone, Default)]
pub struct KeptDashboards {
    keep_for: Duration,
    kept: Arc<Mutex<Vec<Kept>>>,
}

impl KeptDashboards {
    /// Figures kept for `keep_for` after they were read.
    pub fn new(keep_for: Duration) -> Self {
        KeptDashboards {
            keep_for,
            kept: Arc::default(),
        }
    }

    /// The figures of `campaign_id` for `scope` if this server made them less than the
    /// keeping time ago.
    pub fn get(&self, campaign_id: i32, scope: &UnitScope) -> Option<Arc<DashboardFigures>> {
        if self.keep_for.is_zero() {
            return None;
        }
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter()
            .find(|k| k.campaign_id == campaign_id && k.scope == *scope)
            .filter(|k| k.made.elapsed() < self.keep_for)
            .map(|k| Arc::clone(&k.figures))
    }

    /// Keeps `figures`, read at `made`, for `campaign_id` and `scope`, replacing what was kept
    /// for them and dropping whatever is past its time.
    pub fn put(
        &self,
        campaign_id: i32,
        scope: &UnitScope,
        made: Instant,
        figures: Arc<DashboardFigures>,
    ) {
        if self.keep_for.is_zero() {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|k| {
            k.made.elapsed() < self.keep_for && !(k.campaign_id == campaign_id && k.scope == *scope)
        });
        if kept.len() >= KEPT_DASHBOARDS {
            kept.remove(0);
        }
        kept.push(Kept {
            campaign_id,
            scope: scope.clone(),
            made,
            figures,
        });
    }
}
