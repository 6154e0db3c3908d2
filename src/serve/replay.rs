//! The `jti` replay cache: each token id is taken once until its token has
//! expired. Bounded: when full, expired entries are dropped; when still
//! full, a token is refused (the client retries later) rather than the
//! cache growing without bound.

use std::collections::HashMap;
use std::sync::Mutex;

/// Token ids seen, with the second after which each may be forgotten.
#[derive(Debug)]
pub(crate) struct Replay {
    seen: Mutex<HashMap<String, u64>>,
    capacity: usize,
}

/// Why a token id was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Seen before, and its token has not expired.
    Replayed,
    /// The cache is full of unexpired ids.
    Full,
}

impl Replay {
    pub(crate) fn new(capacity: usize) -> Replay {
        Replay {
            seen: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// Takes `id` (forgotten after `until`, in seconds since the epoch) at
    /// time `now`, or says why not.
    pub(crate) fn take(&self, id: &str, until: u64, now: u64) -> Result<(), Refused> {
        let mut seen = match self.seen.lock() {
            Ok(g) => g,
            // A panic while holding the lock cannot leave the map torn (each
            // operation is one call); keep using it.
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(&expiry) = seen.get(id)
            && expiry >= now
        {
            return Err(Refused::Replayed);
        }
        if seen.len() >= self.capacity {
            seen.retain(|_, expiry| *expiry >= now);
            if seen.len() >= self.capacity {
                return Err(Refused::Full);
            }
        }
        seen.insert(id.to_string(), until);
        Ok(())
    }

    /// How many ids are held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.lock().map_or(0, |s| s.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_taken_once_until_it_expires() {
        let r = Replay::new(10);
        assert_eq!(r.take("a", 100, 50), Ok(()));
        assert_eq!(r.take("a", 100, 60), Err(Refused::Replayed));
        assert_eq!(r.take("a", 200, 101), Ok(()));
        assert_eq!(r.take("b", 100, 60), Ok(()));
    }

    #[test]
    fn the_cache_stays_bounded() {
        let r = Replay::new(2);
        assert_eq!(r.take("a", 10, 0), Ok(()));
        assert_eq!(r.take("b", 20, 0), Ok(()));
        assert_eq!(r.take("c", 30, 5), Err(Refused::Full));
        // Once "a" has expired, room is made.
        assert_eq!(r.take("c", 30, 11), Ok(()));
        assert_eq!(r.len(), 2);
    }
}
