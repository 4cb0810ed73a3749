//! Subjective Logic opinions (Jøsang): belief, disbelief, uncertainty and base rate, with the three
//! operators confidence v2 needs (`../../design/DATA-MODEL.md` §5, as in Jøsang 2016).

use serde::Serialize;

/// An opinion ω = (b, d, u, a) with b + d + u = 1; its projected probability is b + a·u.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Opinion {
    /// Belief.
    pub belief: f64,
    /// Disbelief.
    pub disbelief: f64,
    /// Uncertainty.
    pub uncertainty: f64,
    /// Base rate: the probability without evidence.
    pub base_rate: f64,
}

/// Below this, an uncertainty counts as zero (dogmatic opinions).
const EPS: f64 = 1e-12;

impl Opinion {
    /// An opinion from belief and disbelief (uncertainty is the rest), with base rate `a`.
    /// Values are clamped into [0, 1] so that rounding never leaves the simplex.
    pub fn new(belief: f64, disbelief: f64, base_rate: f64) -> Opinion {
        let belief = belief.clamp(0.0, 1.0);
        let disbelief = disbelief.clamp(0.0, 1.0 - belief);
        Opinion {
            belief,
            disbelief,
            uncertainty: (1.0 - belief - disbelief).max(0.0),
            base_rate: base_rate.clamp(0.0, 1.0),
        }
    }

    /// Total ignorance with base rate `a`.
    pub fn vacuous(base_rate: f64) -> Opinion {
        Opinion::new(0.0, 0.0, base_rate)
    }

    /// The projected probability P = b + a·u.
    pub fn projected(&self) -> f64 {
        self.belief + self.base_rate * self.uncertainty
    }

    /// Trust discounting: what this opinion is worth when it reaches us through an agent we trust
    /// with probability `trust` (b and d scale by it; the rest becomes uncertainty).
    pub fn discount(&self, trust: f64) -> Opinion {
        let t = trust.clamp(0.0, 1.0);
        Opinion::new(t * self.belief, t * self.disbelief, self.base_rate)
    }

    /// The same opinion with disbelief and belief swapped: a denial of a claim.
    pub fn negate(&self) -> Opinion {
        Opinion::new(self.disbelief, self.belief, 1.0 - self.base_rate)
    }

    /// Cumulative fusion: two independent bodies of evidence add up.
    pub fn cumulative(&self, other: &Opinion) -> Opinion {
        let (u1, u2) = (self.uncertainty, other.uncertainty);
        if u1 < EPS && u2 < EPS {
            return self.mean(other);
        }
        let kappa = u1 + u2 - u1 * u2;
        let belief = (self.belief * u2 + other.belief * u1) / kappa;
        let disbelief = (self.disbelief * u2 + other.disbelief * u1) / kappa;
        let denominator = u1 + u2 - 2.0 * u1 * u2;
        let base_rate = if denominator.abs() < EPS {
            (self.base_rate + other.base_rate) / 2.0
        } else {
            (self.base_rate * u2 + other.base_rate * u1 - (self.base_rate + other.base_rate) * u1 * u2) / denominator
        };
        Opinion::new(belief, disbelief, base_rate)
    }

    /// Averaging fusion: two opinions that rest on the same evidence count once.
    pub fn average(&self, other: &Opinion) -> Opinion {
        let (u1, u2) = (self.uncertainty, other.uncertainty);
        if u1 + u2 < EPS {
            return self.mean(other);
        }
        let belief = (self.belief * u2 + other.belief * u1) / (u1 + u2);
        let disbelief = (self.disbelief * u2 + other.disbelief * u1) / (u1 + u2);
        Opinion::new(belief, disbelief, (self.base_rate + other.base_rate) / 2.0)
    }

    fn mean(&self, other: &Opinion) -> Opinion {
        Opinion::new(
            (self.belief + other.belief) / 2.0,
            (self.disbelief + other.disbelief) / 2.0,
            (self.base_rate + other.base_rate) / 2.0,
        )
    }

    /// Cumulative fusion of many opinions; `None` when there are none.
    pub fn fuse_cumulative<'a>(opinions: impl IntoIterator<Item = &'a Opinion>) -> Option<Opinion> {
        opinions.into_iter().copied().reduce(|a, b| a.cumulative(&b))
    }

    /// Averaging fusion of many opinions (the multi-source form: each weighs by the product of the
    /// others' uncertainties, so the order does not matter); `None` when there are none.
    pub fn fuse_average<'a>(opinions: impl IntoIterator<Item = &'a Opinion>) -> Option<Opinion> {
        let all: Vec<Opinion> = opinions.into_iter().copied().collect();
        let first = *all.first()?;
        if all.len() == 1 {
            return Some(first);
        }
        let dogmatic: Vec<&Opinion> = all.iter().filter(|o| o.uncertainty < EPS).collect();
        if !dogmatic.is_empty() {
            let n = dogmatic.len() as f64;
            let sum = |f: fn(&Opinion) -> f64| dogmatic.iter().map(|o| f(o)).sum::<f64>() / n;
            return Some(Opinion::new(
                sum(|o| o.belief),
                sum(|o| o.disbelief),
                sum(|o| o.base_rate),
            ));
        }
        // Weights: the product of the other opinions' uncertainties.
        let weights: Vec<f64> = (0..all.len())
            .map(|i| {
                all.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, o)| o.uncertainty)
                    .product()
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let n = all.len() as f64;
        let belief = all.iter().zip(&weights).map(|(o, w)| o.belief * w).sum::<f64>() / total;
        let disbelief = all.iter().zip(&weights).map(|(o, w)| o.disbelief * w).sum::<f64>() / total;
        let base_rate = all.iter().map(|o| o.base_rate).sum::<f64>() / n;
        Some(Opinion::new(belief, disbelief, base_rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.001
    }

    /// The hand-computed values of DATA-MODEL.md §5 (E3 and E10 of the seed).
    #[test]
    fn the_data_model_examples() {
        let indirect = Opinion::new(0.90, 0.0, 0.5);
        let one = indirect.discount(0.70);
        assert!(close(one.belief, 0.630) && close(one.uncertainty, 0.370));
        let two = one.cumulative(&one);
        assert!(close(two.belief, 0.773) && close(two.uncertainty, 0.227), "{two:?}");
        let via_axios = two.discount(0.80);
        assert!(close(via_axios.belief, 0.618));
        let on_page = via_axios.discount(0.75);
        assert!(
            close(on_page.belief, 0.464) && close(on_page.projected(), 0.732),
            "{on_page:?}"
        );
        let e10 = Opinion::new(0.95, 0.0, 0.5).discount(0.825).discount(0.75);
        assert!(close(e10.belief, 0.588) && close(e10.projected(), 0.794), "{e10:?}");
        // Two outlets relaying the same Axios report: averaged, one report's worth.
        let relayed = Opinion::fuse_average([&on_page, &on_page]).unwrap();
        assert!(close(relayed.projected(), 0.732));
    }

    #[test]
    fn averaging_many_is_order_free_and_matches_the_pairwise_form() {
        let a = Opinion::new(0.6, 0.1, 0.5);
        let b = Opinion::new(0.3, 0.2, 0.5);
        let c = Opinion::new(0.5, 0.0, 0.5);
        let pair = Opinion::fuse_average([&a, &b]).unwrap();
        let pairwise = a.average(&b);
        assert!(close(pair.belief, pairwise.belief) && close(pair.disbelief, pairwise.disbelief));
        let abc = Opinion::fuse_average([&a, &b, &c]).unwrap();
        let cba = Opinion::fuse_average([&c, &b, &a]).unwrap();
        assert!(close(abc.belief, cba.belief) && close(abc.uncertainty, cba.uncertainty));
    }

    #[test]
    fn a_denial_is_disbelief() {
        let claim = Opinion::new(0.6, 0.0, 0.5);
        let denial = Opinion::new(0.7, 0.0, 0.5).negate();
        assert!(close(denial.disbelief, 0.7));
        let fused = claim.cumulative(&denial);
        assert!(fused.projected() < claim.projected());
    }
}
