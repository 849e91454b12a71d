//! Instructor: a club that names its instructor (clubs.csv `instructor`,
//! 指定教师) has them on one of its seats whenever they are available; a
//! club with more seats gives the others to anyone qualified and eligible.
//! Only when the instructor is not available (leave, blackout, exemption,
//! not taking part) may others take every seat. (The planner holds the
//! first seat for the instructor in a pool of their own: `plan/pool.rs`.)

use crate::demand::Duty;

/// The reason users see.
pub(crate) const NOT_ASSIGNED: &str =
    "the club's named instructor is available but not assigned / 指定教师可上岗却未安排";

/// Planner: `d` has a single seat, its named instructor is someone else
/// and `available` (the planner's own availability) says they can take it.
#[inline]
pub(crate) fn blocks(s: usize, d: &Duty, available: impl Fn(usize) -> bool) -> bool {
    d.staff_needed <= 1 && d.instructor.is_some_and(|i| i != s && available(i))
}

/// Checker: the named instructor of `d`, when they are not among
/// `on_duty` (staff, roster line) though `free` (no rule against them).
pub(crate) fn check(
    d: &Duty,
    on_duty: &[(usize, usize)],
    free: impl Fn(usize) -> bool,
) -> Option<usize> {
    let i = d.instructor?;
    let has = on_duty.iter().any(|(x, _)| *x == i);
    (!has && free(i)).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::demo;

    #[test]
    fn someone_else_on_an_available_instructors_club_is_caught_by_both() {
        let x = demo();
        let (i, s) = (x.staff("T030"), x.staff("T041"));
        let mut d = x.duty("club");
        d.instructor = Some(i);
        // s holds the club; i is free.
        assert!(blocks(s, &d, |_| true));
        assert_eq!(check(&d, &[(s, 1)], |_| true), Some(i));
        // i holds the club: neither.
        assert!(!blocks(i, &d, |_| true));
        assert_eq!(check(&d, &[(i, 1)], |_| true), None);
    }

    #[test]
    fn a_second_seat_is_open_to_others_but_the_instructor_must_sit() {
        let x = demo();
        let (i, s, t) = (x.staff("T030"), x.staff("T041"), x.staff("T042"));
        let mut d = x.duty("club");
        d.instructor = Some(i);
        d.staff_needed = 2;
        assert!(!blocks(s, &d, |_| true));
        assert_eq!(check(&d, &[(i, 1), (s, 1)], |_| true), None);
        // Two others on the club while the instructor is free: caught.
        assert_eq!(check(&d, &[(s, 1), (t, 1)], |_| true), Some(i));
    }

    #[test]
    fn an_unavailable_instructor_frees_the_club_for_both() {
        let x = demo();
        let (i, s) = (x.staff("T030"), x.staff("T041"));
        let mut d = x.duty("club");
        d.instructor = Some(i);
        assert!(!blocks(s, &d, |_| false));
        assert_eq!(check(&d, &[(s, 1)], |_| false), None);
    }
}
