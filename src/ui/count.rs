//! Counts written with the noun that agrees with them: `1 event`, `3 events`.

pub fn count_of(n: u64, one: &str, other: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {other}")
    }
}

#[cfg(test)]
mod tests {
    use super::count_of;

    #[test]
    fn the_noun_agrees_with_the_count() {
        assert_eq!(count_of(1, "event", "events"), "1 event");
        assert_eq!(count_of(0, "event", "events"), "0 events");
        assert_eq!(count_of(12_384, "entity", "entities"), "12384 entities");
    }
}
