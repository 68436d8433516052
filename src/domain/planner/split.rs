//! Dividing one month's amount over creditors, exact to the cent.

/// One creditor's claim on this month's amount.
#[derive(Debug, Clone)]
pub struct Party<'a> {
    pub key: &'a str,
    /// What the creditor is still owed, in cents; never more than this is allotted.
    pub remaining: i64,
    /// Preference rank (lower first); `None` comes after every rank.
    pub rank: Option<u32>,
}

/// Divides `amount` cents in proportion to the parties' remaining balances (largest remainder
/// method). When the amount covers all balances everyone gets their balance. Ties in the
/// remainder go to the party with the smallest key, so the split is deterministic.
pub fn pro_rata(amount: i64, parties: &[Party<'_>]) -> Vec<i64> {
    let total: i128 = parties.iter().map(|p| i128::from(p.remaining)).sum();
    let amount = i128::from(amount);
    if amount >= total {
        return parties.iter().map(|p| p.remaining).collect();
    }
    let mut shares: Vec<i64> = Vec::with_capacity(parties.len());
    let mut remainders: Vec<(i128, &str, usize)> = Vec::with_capacity(parties.len());
    for (index, party) in parties.iter().enumerate() {
        let exact = amount * i128::from(party.remaining);
        // floor(amount × remaining / total) < remaining because amount < total, so adding one
        // leftover cent never exceeds a balance.
        shares.push(i64::try_from(exact / total).unwrap_or(0));
        remainders.push((exact % total, party.key, index));
    }
    let mut leftover = amount - shares.iter().map(|s| i128::from(*s)).sum::<i128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    for (_, _, index) in remainders {
        if leftover == 0 {
            break;
        }
        shares[index] += 1;
        leftover -= 1;
    }
    shares
}

/// Pays ranks in order: a rank group is paid in full before the next gets anything; within a
/// group, pro rata. Unranked parties form the last group.
pub fn preferential(amount: i64, parties: &[Party<'_>]) -> Vec<i64> {
    let mut shares = vec![0; parties.len()];
    let mut ranks: Vec<Option<u32>> = parties.iter().map(|p| p.rank).collect();
    ranks.sort_by_key(|r| r.unwrap_or(u32::MAX));
    ranks.dedup();
    let mut left = amount;
    for rank in ranks {
        if left == 0 {
            break;
        }
        let members: Vec<usize> = (0..parties.len())
            .filter(|i| parties[*i].rank == rank)
            .collect();
        let group: Vec<Party<'_>> = members.iter().map(|i| parties[*i].clone()).collect();
        for (index, share) in members.iter().zip(pro_rata(left, &group)) {
            shares[*index] = share;
            left -= share;
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(key: &str, remaining: i64, rank: Option<u32>) -> Party<'_> {
        Party {
            key,
            remaining,
            rank,
        }
    }

    #[test]
    fn pro_rata_gives_the_odd_cent_to_the_largest_remainder_then_the_smallest_key() {
        // 100 cents over 1:1:1 → 33.33 each, one leftover cent to "A" (equal remainders).
        let parties = [
            party("B", 1000, None),
            party("A", 1000, None),
            party("C", 1000, None),
        ];
        assert_eq!(pro_rata(100, &parties), [33, 34, 33]);
        // 1000 over 300:700 → exactly 300 and 700 of … 1000 ≥ total: everything.
        assert_eq!(
            pro_rata(1000, &[party("A", 300, None), party("B", 700, None)]),
            [300, 700]
        );
        // 500 over 300:700 → 150, 350.
        assert_eq!(
            pro_rata(500, &[party("A", 300, None), party("B", 700, None)]),
            [150, 350]
        );
        // 101 over 1:2 → 33.67 and 67.33 → 33 + 67 = 100, the cent to the larger remainder (A).
        assert_eq!(
            pro_rata(101, &[party("A", 100, None), party("B", 200, None)]),
            [34, 67]
        );
    }

    #[test]
    fn preferential_pays_ranks_in_order_and_unranked_last() {
        let parties = [
            party("X", 500, None),
            party("A", 300, Some(1)),
            party("B", 300, Some(2)),
            party("C", 100, Some(2)),
        ];
        assert_eq!(preferential(200, &parties), [0, 200, 0, 0]);
        // 500: rank 1 gets 300, rank 2 gets 200 split 300:100 → 150:50.
        assert_eq!(preferential(500, &parties), [0, 300, 150, 50]);
        assert_eq!(preferential(1000, &parties), [300, 300, 300, 100]);
    }
}
