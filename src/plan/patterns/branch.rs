//! Price-and-branch: the generated weeks as an integer program.

use highs::{ColProblem, HighsSolutionStatus, Row, Sense};

use crate::error::Result;

use super::master::{Master, Rows};
use super::Dw;
use crate::plan::highs::{configure, solve, solver_error, Setup, MIN_BRANCH_S};
use crate::plan::pool::Roster;
use crate::plan::tol::{open_slack, LP_FEAS};

impl Dw<'_, '_> {
    /// A roster using only known weeks within the caps at level `v`, with
    /// at most `uncovered` seats open, or None. Pins are not modelled
    /// here: the caller checks the roster against the full model.
    pub(crate) fn integer(&self, v: f64, uncovered: f64, max_nodes: u32) -> Result<Option<Roster>> {
        let caps = self.caps(v);
        let lo = vec![0; caps.len()];
        self.integer_in(&Master::new(&lo, &caps, None), uncovered, max_nodes)
    }

    /// Column generation at level `v` run to the LP optimum (not stopped
    /// as soon as the level is open), so that price-and-branch has the
    /// weeks an integer roster needs.
    pub(crate) fn enrich(&mut self, v: f64) -> Result<()> {
        let caps = self.caps(v);
        if caps.iter().any(|&c| c < 0) {
            return Ok(());
        }
        let lo = vec![0; caps.len()];
        self.cg(&Master::new(&lo, &caps, None), |obj, lb| {
            lb >= obj - LP_FEAS
        })?;
        Ok(())
    }

    /// As `integer`, over the known weeks inside master `w`'s windows.
    pub(super) fn integer_in(
        &self,
        w: &Master,
        uncovered: f64,
        max_nodes: u32,
    ) -> Result<Option<Roster>> {
        let pools = &self.m.pools;
        let mode = w.mode;
        let mut pb = ColProblem::default();
        let cover: Vec<Row> = pools
            .iter()
            .map(|p| Self::cover_row(&mut pb, p.need, self.exact_cover(mode)))
            .collect();
        let size: Vec<u32> = self.cohorts.iter().map(|c| c.size).collect();
        let conv = self.conv_rows(&mut pb, &size, w.lo, mode);
        let open = pb.add_row(..=uncovered + open_slack(uncovered));
        let keep = Self::balance_row(&mut pb, mode);
        let carried = self.carried_row(&mut pb, 0, 0);
        let rows = Rows {
            cover,
            conv,
            keep,
            carried,
        };
        for (p, pool) in pools.iter().enumerate() {
            // Each open seat weighs its pool's priority weight.
            let c = self.m.open_cost[p];
            let seat_cost = if mode.is_some() { 0.0 } else { c };
            pb.add_integer_column(
                seat_cost,
                0.0..=f64::from(pool.need),
                [(rows.cover[p], 1.0), (open, c)],
            );
        }
        let used: Vec<usize> = (0..self.patterns.len())
            .filter(|&i| {
                let pat = &self.patterns[i];
                (w.lo[pat.cohort]..=w.hi[pat.cohort]).contains(&pat.load)
            })
            .collect();
        for pat in used.iter().map(|&i| &self.patterns[i]) {
            let col = self.column(pat, &rows, mode);
            pb.add_integer_column(self.cost(pat, mode), 0.0.., col);
        }
        let mut hm = pb.try_optimise(Sense::Minimise).map_err(solver_error)?;
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now())
            .as_secs_f64()
            .max(MIN_BRANCH_S);
        configure(&mut hm, &Setup::within(left).nodes(max_nodes));
        let solved = solve(hm)?;
        self.note_budget(solved.status());
        let cols = solved.get_solution().columns().to_vec();
        let n = pools.len() + used.len();
        if cols.len() != n || solved.primal_solution_status() != HighsSolutionStatus::Feasible {
            return Ok(None);
        }
        let weeks: Vec<usize> = used
            .iter()
            .enumerate()
            .flat_map(|(j, &i)| std::iter::repeat_n(i, cols[pools.len() + j].round() as usize))
            .collect();
        Ok(self.roster(&weeks))
    }
}
