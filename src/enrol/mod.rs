//! Applications feed demand (issue 20, item 1). The school plan's
//! procedure: the offer is published, a family applies for a child, the
//! homeroom teacher reviews, the principal approves, and from the day the
//! approval takes effect the child counts in the week's enrollment. A
//! withdrawal goes through the same two approvals.
//!
//! - `steps`: an application's choice, its steps and the state they lead
//!   to (who may take which step, and when);
//! - `count`: the enrollment per class and session that approved
//!   applications give a day (what `enrollment.csv` is typed for by hand),
//!   which the day's demand uses;
//! - `funnel`: how far the applications got, and the sessions a form
//!   offers;
//! - `clubs`: seats of a club over capacity, first come or by a seeded,
//!   reproducible lottery, with a waiting list.

mod clubs;
mod count;
mod funnel;
mod steps;

pub use clubs::{allocate, Allocation, ClubAsk, Draw};
pub(crate) use count::school_on;
pub use count::{attends, enrollment_on, Counted};
pub use funnel::{funnel, session_choices, Funnel, SessionChoice};
pub use steps::{check_choice, state_of, Actor, Choice, ChoiceError, State, Step, StepError};
