//! How many counters a hall post needs: the Erlang C queue (M/M/N), for a demand in arrivals per
//! hour and a mean handling time, against a target such as "80 % served within 15 minutes".

use serde::Serialize;

use crate::{Error, Result};

/// The default target: 80 % of residents served within 15 minutes.
pub const DEFAULT_TARGET_WAIT_S: f64 = 900.0;
pub const DEFAULT_SERVICE_LEVEL: f64 = 0.8;
/// More counters than any hall has; beyond this the answer is "the demand is unrealistic".
const MAX_COUNTERS: u32 = 500;

/// The probability that a resident has to wait at all, with `n` counters and `traffic` erlangs
/// (arrivals per hour × handling hours). 1 when the counters cannot keep up (n ≤ traffic).
pub fn wait_probability(n: u32, traffic: f64) -> f64 {
    if n == 0 || traffic >= f64::from(n) {
        return 1.0;
    }
    if traffic <= 0.0 {
        return 0.0;
    }
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=n {
        b = traffic * b / (f64::from(k) + traffic * b);
    }
    let rho = traffic / f64::from(n);
    b / (1.0 - rho + rho * b)
}

/// The share of residents served within `target_wait_s`.
pub fn service_level(n: u32, traffic: f64, handling_s: f64, target_wait_s: f64) -> f64 {
    if traffic <= 0.0 {
        return 1.0;
    }
    if traffic >= f64::from(n) {
        return 0.0;
    }
    let pw = wait_probability(n, traffic);
    (1.0 - pw * (-(f64::from(n) - traffic) * target_wait_s / handling_s).exp()).clamp(0.0, 1.0)
}

/// The answer of `bianmin counters`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Counters {
    pub counters: u32,
    pub service_level: f64,
    pub wait_probability: f64,
    /// Arrivals per hour × handling time in hours.
    pub traffic_erlangs: f64,
    /// Mean wait of all residents, in seconds.
    pub mean_wait_s: f64,
}

/// The fewest counters that meet the target for the demand.
pub fn counters_needed(
    arrivals_per_hour: f64,
    handling_min: f64,
    target_wait_s: f64,
    target_level: f64,
) -> Result<Counters> {
    if !arrivals_per_hour.is_finite() || !(0.0..=10_000.0).contains(&arrivals_per_hour) {
        return Err(Error::invalid(
            "arrivals_per_hour",
            "每小时到达人数应为 0 到 10000 之间的数",
        ));
    }
    if !handling_min.is_finite() || handling_min <= 0.0 || handling_min > 480.0 {
        return Err(Error::invalid(
            "handling_min",
            "平均办理时长应为大于 0、不超过 480 的分钟数",
        ));
    }
    if !target_wait_s.is_finite() || !(0.0..=86_400.0).contains(&target_wait_s) {
        return Err(Error::invalid(
            "target_wait_s",
            "目标等候时间应为 0 到 86400 之间的秒数",
        ));
    }
    if !target_level.is_finite() || target_level <= 0.0 || target_level >= 1.0 {
        return Err(Error::invalid(
            "service_level",
            "服务水平应为 0 到 1 之间的小数（如 0.8），不含 0 和 1",
        ));
    }
    let handling_s = handling_min * 60.0;
    let traffic = arrivals_per_hour * handling_min / 60.0;
    let first = if traffic <= 0.0 {
        0
    } else {
        traffic.floor() as u32 + 1
    };
    for n in first..=MAX_COUNTERS {
        let sl = service_level(n, traffic, handling_s, target_wait_s);
        if sl >= target_level || traffic <= 0.0 {
            let pw = if traffic <= 0.0 {
                0.0
            } else {
                wait_probability(n, traffic)
            };
            let mean_wait_s = if traffic <= 0.0 {
                0.0
            } else {
                pw * handling_s / (f64::from(n) - traffic)
            };
            return Ok(Counters {
                counters: n,
                service_level: sl,
                wait_probability: pw,
                traffic_erlangs: traffic,
                mean_wait_s,
            });
        }
    }
    Err(Error::invalid(
        "arrivals_per_hour",
        format!("需要超过 {MAX_COUNTERS} 个窗口，请核对到达人数和办理时长"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each input's range, at and beyond its edges: the refusal names the field.
    #[test]
    fn inputs_are_taken_up_to_their_edges_and_refused_beyond() {
        let ok = |a: f64, h: f64, w: f64, l: f64| counters_needed(a, h, w, l).is_ok();
        let refused = |a: f64, h: f64, w: f64, l: f64| match counters_needed(a, h, w, l) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("({a}, {h}, {w}, {l}) not refused: {other:?}"),
        };
        assert!(ok(0.0, 480.0, 0.0, 0.5));
        assert!(ok(10.0, 0.5, 86_400.0, 0.99));
        for (a, h, w, l, field) in [
            (-1.0, 5.0, 900.0, 0.8, "arrivals_per_hour"),
            (10_000.5, 5.0, 900.0, 0.8, "arrivals_per_hour"),
            (f64::NAN, 5.0, 900.0, 0.8, "arrivals_per_hour"),
            (10.0, 0.0, 900.0, 0.8, "handling_min"),
            (10.0, 480.5, 900.0, 0.8, "handling_min"),
            (10.0, 5.0, -1.0, 0.8, "target_wait_s"),
            (10.0, 5.0, 86_400.5, 0.8, "target_wait_s"),
            (10.0, 5.0, 900.0, 0.0, "service_level"),
            (10.0, 5.0, 900.0, 1.0, "service_level"),
            (10.0, 5.0, 900.0, 1.5, "service_level"),
            (10.0, 5.0, 900.0, -0.2, "service_level"),
        ] {
            assert_eq!(refused(a, h, w, l), field, "({a}, {h}, {w}, {l})");
        }
    }

    /// At or past full load the counters cannot keep up: everyone waits; no counters, the same;
    /// no one coming, no one waits.
    #[test]
    fn the_edges_of_the_wait_probability() {
        for (n, traffic) in [(2, 2.0), (2, 3.5), (1, 1.0), (0, 0.5), (0, 0.0)] {
            assert_eq!(
                wait_probability(n, traffic),
                1.0,
                "{n} counters, {traffic} erlangs"
            );
        }
        assert_eq!(wait_probability(3, 0.0), 0.0);
        let p = wait_probability(3, 2.9);
        assert!(p > 0.9 && p < 1.0, "{p}");
    }
    use proptest::prelude::*;

    /// Published Erlang C table values for 10 erlangs (e.g. the standard call-centre tables:
    /// 11 agents 0.6821, 12 → 0.4494, 13 → 0.2853, 14 → 0.1741, 15 → 0.1020).
    #[test]
    fn wait_probability_matches_the_published_table() {
        for (n, want) in [
            (11, 0.6821),
            (12, 0.4494),
            (13, 0.2853),
            (14, 0.1741),
            (15, 0.1020),
        ] {
            let got = wait_probability(n, 10.0);
            assert!((got - want).abs() < 5e-4, "N={n}: {got} vs {want}");
        }
        // One server: M/M/1 waits with probability ρ.
        assert!((wait_probability(1, 0.6) - 0.6).abs() < 1e-12);
    }

    /// The classic worked example: 200 calls an hour, 3 minutes each, 80 % within 20 s needs 14
    /// agents (13 give 79.6 %, 14 give 88.8 %).
    #[test]
    fn the_worked_example_needs_fourteen() {
        let c = counters_needed(200.0, 3.0, 20.0, 0.8).unwrap();
        assert_eq!(c.counters, 14);
        assert!(
            (c.service_level - 0.8884).abs() < 1e-3,
            "{}",
            c.service_level
        );
        // 10 erlangs on 14 counters: the published P(wait) 0.1741, and the mean wait
        // P(wait) × handling / (counters − traffic) = 0.1741 × 180 s / 4 ≈ 7.83 s.
        assert_eq!(c.traffic_erlangs, 10.0);
        assert!(
            (c.wait_probability - 0.1741).abs() < 1e-3,
            "{}",
            c.wait_probability
        );
        assert!((c.mean_wait_s - 7.83).abs() < 0.05, "{}", c.mean_wait_s);
        assert!((service_level(13, 10.0, 180.0, 20.0) - 0.7956).abs() < 1e-3);
    }

    #[test]
    fn a_quiet_hall_needs_one_counter_and_no_demand_none() {
        // 2 an hour, 10 minutes each: one counter serves 87.7 % within 15 minutes.
        let c = counters_needed(2.0, 10.0, 900.0, 0.8).unwrap();
        assert_eq!(c.counters, 1);
        assert!(
            (c.service_level - 0.8774).abs() < 1e-3,
            "{}",
            c.service_level
        );
        // 4 an hour: one counter serves only 59.6 %, so two.
        assert_eq!(counters_needed(4.0, 10.0, 900.0, 0.8).unwrap().counters, 2);
        assert_eq!(counters_needed(0.0, 10.0, 900.0, 0.8).unwrap().counters, 0);
    }

    #[test]
    fn bad_input_names_the_field() {
        for (a, h, t, p, field) in [
            (-1.0, 5.0, 900.0, 0.8, "arrivals_per_hour"),
            (f64::NAN, 5.0, 900.0, 0.8, "arrivals_per_hour"),
            (10.0, 0.0, 900.0, 0.8, "handling_min"),
            (10.0, 5.0, -3.0, 0.8, "target_wait_s"),
            (10.0, 5.0, 900.0, 80.0, "service_level"),
        ] {
            match counters_needed(a, h, t, p) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{other:?}"),
            }
        }
    }

    proptest! {
        #[test]
        fn the_answer_is_the_fewest_counters_that_meet_the_target(
            arrivals in 0.5f64..400.0, handling in 1.0f64..60.0, wait in 0.0f64..1800.0, level in 0.5f64..0.99,
        ) {
            let c = counters_needed(arrivals, handling, wait, level).unwrap();
            let traffic = arrivals * handling / 60.0;
            prop_assert!(f64::from(c.counters) > traffic);
            prop_assert!(c.service_level >= level);
            prop_assert!((0.0..=1.0).contains(&c.wait_probability));
            if c.counters > 1 && f64::from(c.counters - 1) > traffic {
                prop_assert!(service_level(c.counters - 1, traffic, handling * 60.0, wait) < level);
            }
        }

        #[test]
        fn more_counters_never_serve_worse(traffic in 0.1f64..100.0, n in 1u32..150) {
            prop_assert!(wait_probability(n + 1, traffic) <= wait_probability(n, traffic) + 1e-12);
        }
    }
}
