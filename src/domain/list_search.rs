//! A ward list's search by name, answered from each app server's own copy of the list's name
//! keys, checked against `list_name_versions` (a number per list that the database's triggers
//! raise with every change to what a search reads, whoever makes it).
//!
//! A search tests every entry's name key for each word of the query, a substring anywhere in
//! it, which no B-tree index serves: at city size PostgreSQL spent 2.2–2.5 ms counting the
//! matches among a ward's 14,000 entries and the page about 4.5 ms of CPU in all, so two
//! cores served about 440 searches a second and 50 clients waited 113 ms on average. The
//! list's keys are about 0.3 MB; kept in one string, a word is found in all of them by one
//! pass of `memchr::memmem`, in well under a millisecond. The database then reads only the
//! 50 entries of the page, by id.
//!
//! The number is read with the campaign and its list ([`version_expr`]), before the keys: a
//! change committed in between gives the next search a newer number, and the keys are read
//! again. Recording gifts moves no number (the copy holds no status), so the distribution
//! day's searches keep the copy; a search with a status filter reads the states of its
//! matches alone (`list_entries`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use memchr::memmem;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entities::entry;

/// The column the version is read as.
pub const VERSION_COLUMN: &str = "list_name_version";

/// `(SELECT version FROM list_name_versions WHERE ward_list_id = {list}.id)`, to read with the
/// query that finds the list (`list` is its alias there). A list with no row yet (no entry
/// ever) reads as NULL: version 0.
pub fn version_expr(list: &str) -> Expr {
    Expr::cust(format!(
        "(SELECT version FROM list_name_versions WHERE ward_list_id = {list}.id)"
    ))
}

/// How many lists a server keeps (a city has 168 wards; a list of 14,000 entries takes about
/// 0.5 MB). The least recently searched is let go first.
const KEPT_LISTS: usize = 64;

/// A list's entries as a search reads them, in the list's display order.
#[derive(Debug, Default)]
pub struct ListNames {
    /// Entry ids.
    ids: Vec<i32>,
    /// Each entry's category.
    categories: Vec<i32>,
    /// Where each entry's key ends in `keys` (exclusive).
    ends: Vec<u32>,
    /// Every entry's name key, each followed by a newline (no key holds one), so that a
    /// word found in the string belongs to exactly one entry.
    keys: String,
}

/// What a search keeps besides its words.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchLimits<'a> {
    /// Only entries of this category.
    pub category_id: Option<i32>,
    /// Only entries of these categories (a sector reviewer's sectors); `None` for all.
    pub categories: Option<&'a HashSet<i32>>,
}

impl ListNames {
    /// The list from its entries `(id, category, name key)` in display order.
    pub fn from_entries(entries: impl IntoIterator<Item = (i32, i32, String)>) -> Self {
        let mut names = Self::default();
        for (id, category, key) in entries {
            names.ids.push(id);
            names.categories.push(category);
            // A key cannot hold a newline (it is folded words); one that did would only be
            // cut there.
            names
                .keys
                .push_str(key.split('\n').next().unwrap_or_default());
            names
                .ends
                .push(u32::try_from(names.keys.len()).unwrap_or(u32::MAX));
            names.keys.push('\n');
        }
        names
    }

    /// How many entries the list has.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids of the entries whose key holds every one of `words` (folded, as the keys are)
    /// and that `limits` keep, in the list's order. No word keeps nothing out.
    pub fn matching(&self, words: &[&str], limits: SearchLimits<'_>) -> Vec<i32> {
        let kept = |i: usize| {
            limits.category_id.is_none_or(|c| self.categories[i] == c)
                && limits
                    .categories
                    .is_none_or(|allowed| allowed.contains(&self.categories[i]))
        };
        // The longest word first: it is found in the fewest keys.
        let mut words: Vec<&str> = words.iter().copied().filter(|w| !w.is_empty()).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let Some((first, rest)) = words.split_first() else {
            return (0..self.len())
                .filter(|&i| kept(i))
                .map(|i| self.ids[i])
                .collect();
        };
        let rest: Vec<memmem::Finder<'_>> = rest.iter().map(memmem::Finder::new).collect();
        let mut found = Vec::new();
        let mut last = None;
        for at in memmem::find_iter(self.keys.as_bytes(), first.as_bytes()) {
            // The entry whose key the word was found in: the first that ends after it.
            let i = self.ends.partition_point(|&end| (end as usize) <= at);
            if last == Some(i) || i >= self.len() {
                continue;
            }
            last = Some(i);
            let start = if i == 0 {
                0
            } else {
                self.ends[i - 1] as usize + 1
            };
            let key = &self.keys.as_bytes()[start..self.ends[i] as usize];
            if kept(i) && rest.iter().all(|finder| finder.find(key).is_some()) {
                found.push(self.ids[i]);
            }
        }
        found
    }
}

/// One list's place in the copy: a search waits here while another reads the list's keys.
type Slot = Arc<tokio::sync::Mutex<Option<(i64, Arc<ListNames>)>>>;

/// The kept lists: a count of requests so far, and each list's slot with the count when it
/// was last asked for.
#[derive(Debug, Default)]
struct Lists {
    clock: u64,
    slots: HashMap<i32, (u64, Slot)>,
}

/// A server's copy of the name keys of the lists it was asked to search.
#[derive(Debug, Clone, Default)]
pub struct ListNamesCopy {
    lists: Arc<Mutex<Lists>>,
}

impl ListNamesCopy {
    /// The keys of `list_id` as of `version` (read by the caller before this call): the copy
    /// when it was read at that version, else read again and kept. Concurrent searches of
    /// one list wait for a single read instead of each running it; the search itself runs
    /// outside the lock.
    pub async fn names(
        &self,
        db: &impl ConnectionTrait,
        list_id: i32,
        version: i64,
    ) -> Result<Arc<ListNames>, DbErr> {
        let slot = self.slot(list_id);
        let mut kept = slot.lock().await;
        if let Some((at, names)) = kept.as_ref()
            && *at == version
        {
            return Ok(Arc::clone(names));
        }
        let names = Arc::new(read_list_names(db, list_id).await?);
        *kept = Some((version, Arc::clone(&names)));
        Ok(names)
    }

    /// The list's slot, made when first asked for; when the copy is full, the least recently
    /// asked for is let go (it is read again on its next search).
    fn slot(&self, list_id: i32) -> Slot {
        let mut guard = self.lists.lock().unwrap_or_else(|p| p.into_inner());
        let Lists {
            clock,
            slots: lists,
        } = &mut *guard;
        *clock += 1;
        let now = *clock;
        if lists.len() >= KEPT_LISTS && !lists.contains_key(&list_id) {
            let oldest = lists
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                lists.remove(&oldest);
            }
        }
        let (used, slot) = lists.entry(list_id).or_default();
        *used = now;
        Arc::clone(slot)
    }
}

/// The list's entries as a search reads them, in display order.
async fn read_list_names(db: &impl ConnectionTrait, list_id: i32) -> Result<ListNames, DbErr> {
    let e = Alias::new("e");
    let mut query = Query::select()
        .column((e.clone(), entry::Column::Id))
        .column((e.clone(), entry::Column::CategoryId))
        .column((e.clone(), entry::Column::NameKey))
        .from_as(entry::Entity, e.clone())
        .and_where(Expr::col((e.clone(), entry::Column::WardListId)).eq(list_id))
        .to_owned();
    crate::domain::list_entries::order_by_list(&mut query, &e);
    let rows = db.query_all(&query).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i32 = row.try_get("", "id")?;
        let category: i32 = row.try_get("", "category_id")?;
        let key: Option<String> = row.try_get("", "name_key")?;
        entries.push((id, category, key.unwrap_or_default()));
    }
    Ok(ListNames::from_entries(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> ListNames {
        ListNames::from_entries([
            (10, 1, "nguyen van an".to_owned()),
            (11, 2, "tran thi van".to_owned()),
            (12, 1, "le van nguyen".to_owned()),
            (13, 3, "pham thi nga".to_owned()),
            (14, 1, "nguyen thi bich".to_owned()),
        ])
    }

    #[test]
    fn every_word_must_be_in_the_key_in_any_order() {
        let names = list();
        let all = SearchLimits::default();
        assert_eq!(names.matching(&["nguyen", "van"], all), vec![10, 12]);
        assert_eq!(names.matching(&["van"], all), vec![10, 11, 12]);
        assert_eq!(names.matching(&["thi", "ng"], all), vec![13, 14]);
        assert_eq!(names.matching(&["xuan"], all), Vec::<i32>::new());
        // A word never runs across two keys.
        assert_eq!(names.matching(&["an tran"], all), Vec::<i32>::new());
        assert_eq!(names.matching(&["antr"], all), Vec::<i32>::new());
        // A word found twice in one key counts the entry once.
        assert_eq!(names.matching(&["n"], all).len(), 5);
    }

    #[test]
    fn the_category_and_the_sectors_limit_the_search() {
        let names = list();
        let category = SearchLimits {
            category_id: Some(1),
            categories: None,
        };
        assert_eq!(names.matching(&["nguyen"], category), vec![10, 12, 14]);
        let sectors: HashSet<i32> = [2, 3].into();
        let sector = SearchLimits {
            category_id: None,
            categories: Some(&sectors),
        };
        assert_eq!(names.matching(&["thi"], sector), vec![11, 13]);
        assert_eq!(names.matching(&[], sector), vec![11, 13]);
    }

    #[test]
    fn the_copy_lets_go_of_the_least_recently_searched_list() {
        let copy = ListNamesCopy::default();
        let first = copy.slot(1);
        for id in 2..=(KEPT_LISTS as i32) {
            copy.slot(id);
        }
        // List 1 asked for again: list 2 is now the oldest.
        assert!(Arc::ptr_eq(&first, &copy.slot(1)));
        copy.slot(1000);
        let lists = copy.lists.lock().unwrap();
        assert_eq!(lists.slots.len(), KEPT_LISTS);
        assert!(lists.slots.contains_key(&1));
        assert!(!lists.slots.contains_key(&2));
    }
}
