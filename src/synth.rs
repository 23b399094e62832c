//! A seedable generator of realistic documents (~300 bytes of BSON,
//! nested, mixed types) for the demo and benchmarks.

use bson::{Bson, DateTime, Decimal128, Document, doc, oid::ObjectId};

/// xorshift64*: tiny, fast and reproducible for a given seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret", "Linus", "Frances",
    "John", "Radia",
];
const LAST: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Thompson", "Hamilton",
    "Torvalds", "Allen", "Backus", "Perlman",
];
const CITIES: &[&str] = &[
    "London", "Paris", "Berlin", "Lisbon", "Oslo", "Madrid", "Rome", "Vienna", "Dublin", "Prague",
];
const TIERS: &[&str] = &["free", "pro", "team", "enterprise"];
const PRODUCTS: &[&str] = &[
    "InvestmentStock",
    "CurrencyService",
    "Brokerage",
    "Commodity",
    "Derivatives",
];

/// Document number `i` of a stream seeded with `seed`. `_id`s are
/// ObjectIds that increase with `i`, as a real insert stream's do.
pub fn customer(seed: u64, i: u64) -> Document {
    let mut r = Rng::new(seed ^ i.wrapping_mul(0xA24B_AED4_963E_E407));
    let first = r.pick(FIRST);
    let last = r.pick(LAST);
    let mut oid = [0u8; 12];
    oid[..4].copy_from_slice(&(1_700_000_000u32 + (i / 1000) as u32).to_be_bytes());
    oid[4..12].copy_from_slice(&(i ^ seed.rotate_left(40)).to_be_bytes());
    let products: Vec<Bson> = (0..1 + r.below(3))
        .map(|_| Bson::String(r.pick(PRODUCTS).to_string()))
        .collect();
    let balance = format!("{}.{:02}", r.below(100_000), r.below(100));
    doc! {
        "_id": ObjectId::from_bytes(oid),
        "username": format!("{}{}{}", first.to_lowercase(), last.to_lowercase(), r.below(1000)),
        "name": format!("{first} {last}"),
        "email": format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase(), i),
        "active": r.below(10) > 1,
        "tier": r.pick(TIERS),
        "visits": r.below(5000) as i32,
        "score": (r.below(10_000) as f64) / 100.0,
        "balance": balance.parse::<Decimal128>().unwrap_or_else(|_| Decimal128::from_bytes([0; 16])),
        "joined": DateTime::from_millis(1_500_000_000_000 + (r.below(250_000_000) as i64) * 1000),
        "address": {
            "city": r.pick(CITIES),
            "street": format!("{} Main St", r.below(999)),
            "zip": format!("{:05}", r.below(99_999)),
        },
        "products": products,
        "limits": { "daily": r.below(10_000) as i64, "monthly": (r.below(100_000) as i64) * 10 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_about_300_bytes() {
        assert_eq!(customer(7, 42), customer(7, 42));
        assert_ne!(customer(7, 42), customer(8, 42));
        let sizes: Vec<usize> = (0..100)
            .map(|i| customer(1, i).to_vec().unwrap().len())
            .collect();
        let avg = sizes.iter().sum::<usize>() / sizes.len();
        assert!((250..400).contains(&avg), "average {avg} bytes");
    }
}
