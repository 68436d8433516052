//! Reference data that only grows and changes rarely (the creditor registry, the norm tables),
//! loaded once and kept in memory. Every change raises a version in the database; each instance
//! looks at that version at most once per check interval, so a change made elsewhere is seen
//! within that interval, and a change made here at once.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::domain::beslagvrije_voet::NormTable;
use crate::domain::counsellor::CounsellorOrganisation;
use crate::domain::creditor::Creditor;
use crate::store::{DbConnection, StoreError, counsellors, creditors, norms, reference};

/// One consistent snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceData {
    pub creditors: Vec<Creditor>,
    pub counsellors: Vec<CounsellorOrganisation>,
    pub norm_tables: Vec<NormTable>,
    version: i64,
}

impl ReferenceData {
    pub fn creditor(&self, code: &str) -> Option<&Creditor> {
        self.creditors.iter().find(|c| c.code == code)
    }

    pub fn counsellor(&self, id: &str) -> Option<&CounsellorOrganisation> {
        self.counsellors.iter().find(|c| c.id == id)
    }
}

pub struct ReferenceCache {
    current: RwLock<Option<(Arc<ReferenceData>, Instant)>>,
    check_every: Duration,
}

impl ReferenceCache {
    pub fn new(check_every: Duration) -> ReferenceCache {
        ReferenceCache {
            current: RwLock::new(None),
            check_every,
        }
    }

    /// The current snapshot: from memory while it was checked recently, else after one query
    /// for the version (and a reload only when it changed).
    pub fn get(&self, conn: &mut DbConnection) -> Result<Arc<ReferenceData>, StoreError> {
        let cached = self
            .current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some((data, checked)) = &cached
            && checked.elapsed() < self.check_every
        {
            return Ok(data.clone());
        }
        let version = reference::version(conn)?;
        let data = match cached {
            Some((data, _)) if data.version == version => data,
            _ => Arc::new(ReferenceData {
                creditors: creditors::all(conn)?,
                counsellors: counsellors::all(conn)?,
                norm_tables: norms::all(conn)?,
                version,
            }),
        };
        *self.current.write().unwrap_or_else(|p| p.into_inner()) =
            Some((data.clone(), Instant::now()));
        Ok(data)
    }

    /// Forgets the snapshot after this instance changed the reference data, so the next
    /// request loads the new one.
    pub fn forget(&self) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = None;
    }
}
