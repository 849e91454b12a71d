//! One driver per command: read the options, call the library, print.

pub(super) mod cancel;
pub(super) mod check;
pub(super) mod demand;
pub(super) mod explain;
pub(super) mod export;
pub(super) mod gen;
pub(super) mod log;
pub(super) mod plan;
pub(super) mod publish;
pub(super) mod record;
pub(super) mod repair;
pub(super) mod serve;
pub(super) mod simulate;
pub(super) mod template;
pub(super) mod validate;
pub(super) mod whatif;
pub(super) mod workload;
