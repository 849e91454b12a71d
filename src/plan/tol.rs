//! Named tolerances of the planner. Each keeps the value it had inline;
//! the name says what the comparison means.

/// A value counts as better than another only below it by this much
/// (relative loads, tier values, greedy moves).
pub(crate) const IMPROVES: f64 = 1e-9;
/// Two relative loads (or a load and a level) are equal within this.
pub(crate) const LOAD_EQ: f64 = 1e-9;
/// Slack when a roster is held to an earlier tier's optimum (and on
/// such rows in the models).
pub(crate) const BOUND_SLACK: f64 = 1e-6;
/// Relative tolerance for a value meeting its bound (proof of optimality).
pub(crate) const VALUE_EQ: f64 = 1e-6;
/// A tier value at or below this is zero.
pub(crate) const ZERO: f64 = 1e-6;
/// Rounding an LP value to a whole number of seats or weeks.
pub(crate) const LP_ROUND: f64 = 1e-6;
/// Floor of the denominator of a relative gap.
pub(crate) const GAP_DENOM: f64 = 1e-9;
/// A binary column or a seat count at or above this is one (set).
pub(crate) const HALF: f64 = 0.5;
/// Tier 2's optimum is kept with this slack for the later tiers.
pub(crate) const MAX_LOAD_SLACK: f64 = 1e-7;
/// Tier 5's per-person distance from the average, kept with this slack.
pub(crate) const DEV_SLACK: f64 = 1e-7;
/// Column generation: a reduced cost below minus this prices out, a
/// master column above this is in use, and the bound meets the
/// objective within this.
pub(crate) const LP_FEAS: f64 = 1e-9;
/// Pricing: a day choice or week worth at most this is worthless.
pub(crate) const PRICE_ZERO: f64 = 1e-12;
/// A tier-3 distance above this counts (classes are split by it).
pub(crate) const DISTANCE_ZERO: f64 = 1e-9;
/// Tier-3 distances in cohort keys are whole multiples of this.
pub(crate) const DISTANCE_UNIT: f64 = 1e6;
/// Two seat counts are equal within this.
pub(crate) const COUNT_EQ: f64 = 1e-9;

/// Slack on tier 1's weighted open-seat values (whole numbers that may
/// reach 1e9): relative, far below one unit, above LP round-off.
pub(crate) fn open_slack(u: f64) -> f64 {
    BOUND_SLACK.max(u.abs() * 1e-10)
}
